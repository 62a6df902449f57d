package io.connectha.monitor;

/**
 * The probe's latency histogram, with the buckets MONITOR-SPEC.md fixes. Not thread-safe: {@link ProbePath} guards it.
 */
final class ProbeHistogram {

    /** Upper bounds in seconds, without +Inf: where a loopback request (about 1 ms) and a timeout (1 s and more) both land apart. */
    static final double[] BOUNDS = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5};

    /** Per bucket, not cumulative (the last one is +Inf): cumulating happens once per snapshot, not per request. */
    private final long[] counts = new long[BOUNDS.length + 1];
    private long sumNanos;

    void observe(long nanos) {
        long took = Math.max(0, nanos);
        double seconds = took / 1e9;
        int i = 0;
        // Prometheus's le: a request of exactly 1 ms belongs to the 0.001 bucket
        while (i < BOUNDS.length && seconds > BOUNDS[i]) {
            i++;
        }
        counts[i]++;
        sumNanos += took;
    }

    long[] cumulativeCounts() {
        long[] cumulative = new long[counts.length];
        long running = 0;
        for (int i = 0; i < counts.length; i++) {
            running += counts[i];
            cumulative[i] = running;
        }
        return cumulative;
    }

    double sumSeconds() {
        return sumNanos / 1e9;
    }
}
