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
    /** A minus sign before a quantity that would otherwise parse: said as such, not as "not a size". */
    private static final Pattern NEGATIVE = Pattern.compile("\\s*-\\s*\\d+(?:\\.\\d+)?\\s*[a-zA-Z]*\\s*");

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
        double bytes = number * multiplier;
        // Math.round would give Long.MAX_VALUE for anything larger, silently
        if (bytes >= 0x1p63) {
            throw new IllegalArgumentException("'" + text.trim() + "' is too large a size");
        }
        return Math.round(bytes);
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
        double nanos = millis * 1_000_000;
        // beyond Long.MAX_VALUE nanoseconds (292 years) Math.round would saturate, silently
        if (nanos >= 0x1p63) {
            throw new IllegalArgumentException("'" + text.trim() + "' is too long a time");
        }
        return Duration.ofNanos(Math.round(nanos));
    }

    private static Matcher match(String text, String what) {
        Matcher m = QUANTITY.matcher(text == null ? "" : text);
        if (!m.matches()) {
            if (text != null && NEGATIVE.matcher(text).matches()) {
                throw new IllegalArgumentException("'" + text.trim() + "' is not a " + what + ": a " + what + " cannot be negative");
            }
            throw new IllegalArgumentException("'" + text + "' is not a " + what);
        }
        return m;
    }
}
