package io.connectha.cluster;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses the sizes and times people write in cluster files and options. Sizes follow PostgreSQL:
 * binary multiples, {@code kB MB GB TB}; plain numbers are bytes. check_postgres's spellings
 * ({@code 1 MB}, {@code 10mb}, {@code 5 megabytes}) are accepted too. Times take {@code ms s min h}
 * (and {@code m}, {@code sec}, {@code seconds}); plain numbers are seconds.
 */
public final class Quantities {

    private static final Pattern QUANTITY = Pattern.compile("\\s*(\\d+(?:\\.\\d+)?)\\s*([a-zA-Z]*)\\s*");

    private Quantities() {
    }

    public static long parseBytes(String text) {
        Matcher m = match(text, "size");
        double number = Double.parseDouble(m.group(1));
        String unit = m.group(2).toLowerCase(Locale.ROOT);
        long multiplier = switch (unit) {
            case "", "b", "byte", "bytes" -> 1L;
            case "k", "kb", "kib", "kilobyte", "kilobytes" -> 1L << 10;
            case "m", "mb", "mib", "megabyte", "megabytes" -> 1L << 20;
            case "g", "gb", "gib", "gigabyte", "gigabytes" -> 1L << 30;
            case "t", "tb", "tib", "terabyte", "terabytes" -> 1L << 40;
            default -> throw new IllegalArgumentException(
                    "unknown size unit '" + m.group(2) + "' in '" + text.trim() + "' (use B, kB, MB, GB or TB)");
        };
        return Math.round(number * multiplier);
    }

    public static Duration parseDuration(String text) {
        Matcher m = match(text, "time");
        double number = Double.parseDouble(m.group(1));
        String unit = m.group(2).toLowerCase(Locale.ROOT);
        double millis = switch (unit) {
            case "ms", "msec", "millisecond", "milliseconds" -> number;
            case "", "s", "sec", "secs", "second", "seconds" -> number * 1_000;
            case "m", "min", "mins", "minute", "minutes" -> number * 60_000;
            case "h", "hr", "hour", "hours" -> number * 3_600_000;
            case "d", "day", "days" -> number * 86_400_000;
            default -> throw new IllegalArgumentException(
                    "unknown time unit '" + m.group(2) + "' in '" + text.trim() + "' (use ms, s, min or h)");
        };
        return Duration.ofNanos(Math.round(millis * 1_000_000));
    }

    private static Matcher match(String text, String what) {
        Matcher m = QUANTITY.matcher(text == null ? "" : text);
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a " + what);
        }
        return m;
    }
}
