package io.connectha.units;

/** Percentiles of measured times, by nearest rank: the value at or below which p % of the samples fall. */
public final class Percentile {

    private Percentile() {
    }

    /** {@code sorted} in ascending order; -1 when there are no samples. */
    public static long of(long[] sorted, int p) {
        if (sorted.length == 0) {
            return -1;
        }
        int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }
}
