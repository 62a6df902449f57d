package io.connectha.units;

import java.time.Duration;
import java.util.Locale;

/** The one place where bytes and durations become text. */
public final class Units {

    private static final String[] PG_UNITS = {"kB", "MB", "GB", "TB"};

    private Units() {
    }

    /**
     * A size in PostgreSQL's own notation, exact: the largest unit that divides it
     * ({@code 512MB}, {@code 4GB}); plain bytes when not a whole number of kB.
     */
    public static String pgSize(long bytes) {
        if (bytes == 0 || bytes % 1024 != 0) {
            return Long.toString(bytes);
        }
        long value = bytes / 1024;
        int unit = 0;
        while (unit < PG_UNITS.length - 1 && value % 1024 == 0) {
            value /= 1024;
            unit++;
        }
        return value + PG_UNITS[unit];
    }

    /** A size rounded for people: {@code 0 B}, {@code 912 B}, {@code 1.5 MB}. */
    public static String humanBytes(long bytes) {
        if (Math.abs(bytes) < 1024) {
            return bytes + " B";
        }
        double value = bytes;
        String[] units = {"kB", "MB", "GB", "TB", "PB"};
        int unit = -1;
        while (Math.abs(value) >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, value >= 100 ? "%.0f %s" : "%.1f %s", value, units[unit]);
    }

    /** A duration for people: {@code 850 ms}, {@code 2.3 s}, {@code 4 min 12 s}. */
    public static String humanDuration(Duration duration) {
        long ms = duration.toMillis();
        if (ms < 1000) {
            return ms + " ms";
        }
        if (ms < 60_000) {
            return String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
        }
        long s = duration.toSeconds();
        if (s < 3600) {
            return (s / 60) + " min " + (s % 60) + " s";
        }
        return (s / 3600) + " h " + (s % 3600 / 60) + " min";
    }

    /** A duration in the short form HAProxy and our option parser both read: {@code 500ms}, {@code 2s}. */
    public static String shortDuration(Duration duration) {
        long ms = duration.toMillis();
        return ms % 1000 == 0 ? (ms / 1000) + "s" : ms + "ms";
    }
}
