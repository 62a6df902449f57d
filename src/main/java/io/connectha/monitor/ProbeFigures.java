package io.connectha.monitor;

import java.time.Duration;

/** STUB (not committed). */
public record ProbeFigures(double slo, java.util.List<Path> paths) {
    public record Path(String path, long ok, long failed, double[] bucketBounds,
                       long[] bucketCounts, double sumSeconds,
                       boolean up, long outages, Duration lastOutage, Duration currentOutage,
                       Duration readStaleness, java.util.List<Window> windows) {}
    public record Window(String name, Duration length, Duration observed,
                         Duration down, double availability, Duration budget, Duration budgetRemaining) {}
}
