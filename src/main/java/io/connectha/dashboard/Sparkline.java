package io.connectha.dashboard;

import java.util.List;

/** A row of block characters, one per value, scaled to the largest: the shape of recent lag at a glance. */
public final class Sparkline {

    private static final char[] BARS = {'▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'};
    /** Where nothing was known (the member did not answer): a gap, not a zero. */
    public static final char UNKNOWN = ' ';

    private Sparkline() {
    }

    /** The last {@code width} values; all-zero lag draws as a flat low line, so "no lag" still looks alive. */
    public static String of(List<Long> values, int width) {
        List<Long> shown = values.size() > width ? values.subList(values.size() - width, values.size()) : values;
        long max = shown.stream().filter(v -> v != null).mapToLong(Long::longValue).max().orElse(0);
        StringBuilder b = new StringBuilder();
        for (Long v : shown) {
            if (v == null) {
                b.append(UNKNOWN);
            } else if (max <= 0 || v <= 0) {
                b.append(BARS[0]);
            } else {
                b.append(BARS[(int) Math.min(BARS.length - 1, Math.round((double) v / max * (BARS.length - 1)))]);
            }
        }
        return b.toString();
    }
}
