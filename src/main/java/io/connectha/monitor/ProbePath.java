package io.connectha.monitor;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * What one probe path (write or read) has seen: counters, the latency histogram, outages and availability. The path's
 * own thread records; a scrape snapshots. Both hold the lock only to copy numbers, never across I/O.
 */
final class ProbePath {

    /** What a request changed that the listener must hear: the path began failing, or recovered. */
    sealed interface Change permits Failing, Recovered {
    }

    record Failing(Instant at, String error) implements Change {
    }

    record Recovered(Instant at, Duration outage) implements Change {
    }

    private final String name;
    private final Clock clock;
    private final Instant startedAt;
    private final ProbeHistogram histogram = new ProbeHistogram();
    private final Availability availability;
    private long ok;
    private long failed;
    private boolean answered;
    private boolean up;
    private long outages;
    private Duration lastOutage;
    private Instant outageFrom;
    private Instant heartbeatAt;
    private String lastError;

    ProbePath(String name, Clock clock) {
        this.name = name;
        this.clock = clock;
        this.startedAt = clock.instant();
        this.availability = new Availability(clock);
    }

    String name() {
        return name;
    }

    /**
     * One request that started at {@code start} and took {@code tookNanos}; {@code heartbeatAt} is the heartbeat time a read
     * returned (null for writes and failures). Returns what the listener must be told, or null.
     */
    synchronized Change record(Instant start, long tookNanos, boolean succeeded, String error, Instant heartbeatAt) {
        histogram.observe(tookNanos);
        Change change = null;
        if (succeeded) {
            ok++;
            if (outageFrom != null) {
                Duration outage = nonNegative(Duration.between(outageFrom, start));
                lastOutage = outage;
                outageFrom = null;
                availability.up(start);
                change = new Recovered(start, outage);
            }
            if (heartbeatAt != null) {
                this.heartbeatAt = heartbeatAt;
            }
        } else {
            failed++;
            lastError = error;
            if (outageFrom == null && (up || !answered)) {
                // a probe that has never succeeded has been down since it started
                outageFrom = answered ? start : startedAt;
                outages++;
                availability.down(outageFrom);
                change = new Failing(outageFrom, error);
            }
        }
        answered = true;
        up = succeeded;
        return change;
    }

    /** The read path saw no heartbeat row: it is at least as stale as the time since {@code since}. */
    synchronized void heartbeatNotBefore(Instant since) {
        if (heartbeatAt == null || heartbeatAt.isBefore(since)) {
            heartbeatAt = since;
        }
    }

    synchronized String lastError() {
        return lastError;
    }

    synchronized ProbeFigures.Path snapshot(double slo, boolean readPath) {
        Instant now = clock.instant();
        Duration current = outageFrom == null ? null : nonNegative(Duration.between(outageFrom, now));
        Duration staleness = !readPath || heartbeatAt == null ? null : nonNegative(Duration.between(heartbeatAt, now));
        return new ProbeFigures.Path(name, ok, failed, ProbeHistogram.BOUNDS, histogram.cumulativeCounts(), histogram.sumSeconds(), up,
                outages, lastOutage, current, staleness, availability.windows(slo));
    }

    private static Duration nonNegative(Duration d) {
        return d.isNegative() ? Duration.ZERO : d;
    }
}
