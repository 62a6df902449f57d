package io.connectha.monitor;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Downtime of one probe path in rolling windows (the last hour, the last day, the process's life), against an objective.
 * <p>
 * Finished outages are spread over per-second buckets in a ring that covers a day; each bucket remembers which second it
 * holds, so a bucket left over from a day ago is never counted. Memory is fixed (two primitive arrays) however long the
 * process runs. The outage in progress is kept apart and counted up to now at every read. Thread-safe.
 */
public final class Availability {

    static final Duration HOUR = Duration.ofHours(1);
    static final Duration DAY = Duration.ofDays(1);

    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    /** One day and two seconds: the window's partial first second and the current second never share a bucket. */
    private static final int BUCKETS = 86_400 + 2;

    private final Clock clock;
    private final long startedNanos;
    private final long[] bucketSecond = new long[BUCKETS];
    /** Nanoseconds of downtime within the second {@link #bucketSecond} names: at most 1e9, which fits an int. */
    private final int[] bucketDownNanos = new int[BUCKETS];
    private long lifeDownNanos;
    /** Start of the outage in progress, in epoch nanoseconds; {@link Long#MIN_VALUE} while up. */
    private long outageFromNanos = Long.MIN_VALUE;

    /** Counting from the clock's now: the process's start, for the life window. */
    public Availability(Clock clock) {
        this.clock = clock;
        this.startedNanos = nanos(clock.instant());
        java.util.Arrays.fill(bucketSecond, Long.MIN_VALUE);
    }

    /** An outage starts at {@code at}; nothing changes if one is already in progress. */
    public synchronized void down(Instant at) {
        if (outageFromNanos == Long.MIN_VALUE) {
            outageFromNanos = Math.max(startedNanos, nanos(at));
        }
    }

    /** The outage in progress, if any, ends at {@code at}. */
    public synchronized void up(Instant at) {
        if (outageFromNanos == Long.MIN_VALUE) {
            return;
        }
        long to = Math.max(outageFromNanos, nanos(at));
        record(outageFromNanos, to);
        lifeDownNanos += to - outageFromNanos;
        outageFromNanos = Long.MIN_VALUE;
    }

    /** The windows 1h, 1d and life as of the clock's now, against {@code slo} (a percentage: 99.9). */
    public synchronized List<ProbeFigures.Window> windows(double slo) {
        long now = Math.max(startedNanos, nanos(clock.instant()));
        long uptime = now - startedNanos;
        return List.of(window("1h", HOUR.toNanos(), now, slo), window("1d", DAY.toNanos(), now, slo),
                window("life", uptime, uptime, lifeDownNanos + ongoing(startedNanos, now), slo));
    }

    /** Downtime within the last {@code length} up to the clock's now, the outage in progress included. */
    public synchronized Duration down(Duration length) {
        long now = Math.max(startedNanos, nanos(clock.instant()));
        return Duration.ofNanos(downWithin(length.toNanos(), now));
    }

    private ProbeFigures.Window window(String name, long length, long now, double slo) {
        long observed = Math.min(length, now - startedNanos);
        return window(name, length, observed, downWithin(length, now), slo);
    }

    private static ProbeFigures.Window window(String name, long length, long observed, long down, double slo) {
        long budget = Math.round((100.0 - slo) / 100.0 * length);
        double availability = observed <= 0 ? 1.0 : Math.max(0.0, Math.min(1.0, 1.0 - (double) down / observed));
        return new ProbeFigures.Window(name, Duration.ofNanos(length), Duration.ofNanos(observed), Duration.ofNanos(down), availability,
                Duration.ofNanos(budget), Duration.ofNanos(budget - down));
    }

    private long downWithin(long length, long now) {
        long from = Math.max(startedNanos, now - length);
        long down = ongoing(from, now);
        long firstSecond = Math.floorDiv(from, NANOS_PER_SECOND);
        long lastSecond = Math.floorDiv(now, NANOS_PER_SECOND);
        for (long s = firstSecond; s <= lastSecond; s++) {
            int i = index(s);
            if (bucketSecond[i] != s || bucketDownNanos[i] == 0) {
                continue;
            }
            if (s == firstSecond && from > s * NANOS_PER_SECOND) {
                // where the downtime lay within that second is not kept: count the window's share of it
                long inside = (s + 1) * NANOS_PER_SECOND - from;
                down += Math.round((double) bucketDownNanos[i] * inside / NANOS_PER_SECOND);
            } else {
                down += bucketDownNanos[i];
            }
        }
        return Math.min(down, now - from);
    }

    /** The part of the outage in progress that lies within [from, now]. */
    private long ongoing(long from, long now) {
        return outageFromNanos == Long.MIN_VALUE ? 0 : Math.max(0, now - Math.max(from, outageFromNanos));
    }

    private void record(long from, long to) {
        long lastSecond = Math.floorDiv(to, NANOS_PER_SECOND);
        // only the last day's seconds can ever be read again
        long firstSecond = Math.max(Math.floorDiv(from, NANOS_PER_SECOND), lastSecond - BUCKETS + 1);
        for (long s = firstSecond; s <= lastSecond; s++) {
            long overlap = Math.min(to, (s + 1) * NANOS_PER_SECOND) - Math.max(from, s * NANOS_PER_SECOND);
            if (overlap <= 0) {
                continue;
            }
            int i = index(s);
            if (bucketSecond[i] != s) {
                bucketSecond[i] = s;
                bucketDownNanos[i] = 0;
            }
            bucketDownNanos[i] = (int) Math.min(NANOS_PER_SECOND, bucketDownNanos[i] + overlap);
        }
    }

    private static int index(long second) {
        return (int) Math.floorMod(second, (long) BUCKETS);
    }

    private static long nanos(Instant at) {
        return Math.addExact(Math.multiplyExact(at.getEpochSecond(), NANOS_PER_SECOND), at.getNano());
    }
}
