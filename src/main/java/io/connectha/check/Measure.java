package io.connectha.check;

/**
 * One figure of a check item, as Nagios perfdata and as a Prometheus sample.
 *
 * @param name       the figure, such as {@code healthy_replica} or {@code lag}
 * @param labelName  null for a figure of the whole cluster; {@code member}, {@code role} or {@code state} when
 *                   there is one figure per value of that label
 * @param labelValue the member's name, the role or the state; null with no label
 * @param unit       {@code B} for bytes, empty for a count or a flag
 * @param warning    Nagios range that warns ({@code 2:} is "below 2", {@code 0} is "anything but 0"); empty for none
 * @param critical   Nagios range that is critical, as {@code warning}
 */
public record Measure(String name, String labelName, String labelValue, long value, String unit, String warning, String critical,
                      Long min, Long max) {

    public static Measure count(String name, long value, String warning, String critical) {
        return new Measure(name, null, null, value, "", warning, critical, 0L, null);
    }

    public static Measure flag(String name, boolean value, String warning, String critical) {
        return new Measure(name, null, null, value ? 1 : 0, "", warning, critical, 0L, 1L);
    }

    public static Measure ofMember(String name, String member, long value, String unit, Long max) {
        return new Measure(name, "member", member, value, unit, "", "", 0L, max);
    }

    public static Measure labelled(String name, String label, String value, long count) {
        return new Measure(name, label, value, count, "", "", "", 0L, null);
    }

    /** "below n", as a Nagios range. */
    public static String below(long n) {
        return n + ":";
    }

    /** "anything but 0", as a Nagios range. */
    public static final String NOT_ZERO = "0";
    /** "below 1", as a Nagios range. */
    public static final String ZERO = "1:";
}
