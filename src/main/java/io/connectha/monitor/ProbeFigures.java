package io.connectha.monitor;

import java.time.Duration;
import java.util.List;

/**
 * What the client's-eye probe has seen so far, per path ({@code write}, {@code read}): a snapshot that a scrape or the
 * text view renders. Numbers only: seconds as {@code double} where Prometheus wants them, durations as {@link Duration}.
 *
 * @param slo the objective as a percentage (99.9)
 */
public record ProbeFigures(double slo, List<Path> paths) {

    public ProbeFigures {
        paths = List.copyOf(paths);
    }

    /** The path named {@code write} or {@code read}; null when the probe has no such path. */
    public Path path(String name) {
        return paths.stream().filter(p -> p.path().equals(name)).findFirst().orElse(null);
    }

    /**
     * One path's counters, latency histogram, outages and availability windows.
     *
     * @param bucketBounds    the histogram's upper bounds in seconds, without +Inf
     * @param bucketCounts    cumulative, one per bound, then +Inf last (length = bounds + 1)
     * @param up              whether the last request succeeded (false before the first one)
     * @param outages         outages begun, the one in progress included (so an alert on its increase fires at once)
     * @param lastOutage      the last finished outage's length; null while none has finished
     * @param currentOutage   how long the current outage has lasted; null while up
     * @param readStaleness   read path only (else null): now minus the heartbeat time the read returned
     */
    public record Path(String path, long ok, long failed, double[] bucketBounds, long[] bucketCounts, double sumSeconds,
                       boolean up, long outages, Duration lastOutage, Duration currentOutage, Duration readStaleness,
                       List<Window> windows) {

        public Path {
            bucketBounds = bucketBounds.clone();
            bucketCounts = bucketCounts.clone();
            windows = List.copyOf(windows);
        }

        @Override
        public double[] bucketBounds() {
            return bucketBounds.clone();
        }

        @Override
        public long[] bucketCounts() {
            return bucketCounts.clone();
        }

        /** The window named {@code 1h}, {@code 1d} or {@code life}; null when there is none by that name. */
        public Window window(String name) {
            return windows.stream().filter(w -> w.name().equals(name)).findFirst().orElse(null);
        }
    }

    /**
     * Availability over one rolling window.
     *
     * @param length          the window's length; for {@code life}, the process's uptime
     * @param observed        the part of the window the process has been running: min(length, uptime)
     * @param down            time spent in outages within it, a current outage counted up to now
     * @param availability    1 - down / observed (1.0 while nothing is observed)
     * @param budget          what the objective allows over the window's length: (1 - slo/100) x length
     * @param budgetRemaining budget - down; negative once the budget is overspent
     */
    public record Window(String name, Duration length, Duration observed, Duration down, double availability, Duration budget,
                         Duration budgetRemaining) {
    }
}
