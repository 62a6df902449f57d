package io.connectha.render;

import io.connectha.units.Printable;

import io.connectha.units.Units;

import io.connectha.check.CheckStatus;
import io.connectha.check.LagReport;
import io.connectha.check.ReplicaLag;
import io.connectha.check.SlotCheck;
import io.connectha.check.Thresholds;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The lag check's outputs: a Nagios status line with perfdata, Prometheus text, and a table. */
public final class CheckView {

    private CheckView() {
    }

    /** {@code REPLICATION LAG OK - pg2 0 B, 0 ms; ... | 'pg2_lag_bytes'=0B;1048576;16777216;0; ...} */
    public static String nagios(String service, LagReport r) {
        List<String> perf = new ArrayList<>();
        Thresholds t = r.thresholds();
        for (ReplicaLag l : r.replicas()) {
            if (l.bytesBehind() != null) {
                perf.add(perf("'" + l.member() + "_lag_bytes'", l.bytesBehind() + "B", t.warningBytes(), t.criticalBytes()));
            }
            if (l.timeBehind() != null) {
                perf.add(perf("'" + l.member() + "_lag_seconds'", seconds(l.timeBehind()) + "s", seconds(t.warningTime()), seconds(t.criticalTime())));
            }
            perf.add("'" + l.member() + "_streaming'=" + (Boolean.TRUE.equals(l.streaming()) ? 1 : 0) + ";;;0;1");
        }
        String line = service + " " + r.status() + " - " + summary(r);
        // a monitoring system reads one line: a newline or escape code in a name must not end or colour it
        return Printable.visible(perf.isEmpty() ? line : line + " | " + String.join(" ", perf));
    }

    /** Why the check came to its state, in one line: each replica's figures and what it reached, or why none was measured. */
    public static String summary(LagReport r) {
        return switch (r.outcome()) {
            case two_writers -> "two writers: " + r.writers() + " are all out of recovery (split brain)";
            case no_leader -> "no leader: every member is in recovery";
            case leader_unreachable -> "the leader cannot be reached (" + String.join("; ", r.unreachable()) + ")";
            case member_is_leader -> r.member() + " is the leader, not a replica";
            case measured -> r.replicas().isEmpty() ? "no replicas"
                    : String.join("; ", r.replicas().stream().map(l -> describe(l, r.thresholds())).toList());
        };
    }

    private static String describe(ReplicaLag l, Thresholds t) {
        String reason = reason(l, t);
        if (!l.reachable()) {
            return l.member() + " " + reason;
        }
        String figures = l.member() + " " + (l.bytesBehind() == null ? "?" : Units.humanBytes(l.bytesBehind())) + ", "
                + (l.timeBehind() == null ? "?" : Units.humanDuration(l.timeBehind()));
        return reason.isEmpty() ? figures : figures + " (" + reason + ")";
    }

    /** Why a replica is in its state: empty when it is OK. */
    public static String reason(ReplicaLag l, Thresholds t) {
        if (!l.reachable()) {
            return "unreachable: " + l.error();
        }
        List<String> reasons = new ArrayList<>();
        if (!Boolean.TRUE.equals(l.streaming())) {
            reasons.add("not streaming");
        }
        if (Boolean.FALSE.equals(l.slotActive())) {
            reasons.add("slot inactive");
        }
        if (l.bytesLevel() != null && l.bytesLevel() != CheckStatus.OK) {
            reasons.add(Units.humanBytes(l.bytesBehind()) + " behind (" + (l.bytesLevel() == CheckStatus.CRITICAL
                    ? "critical " + Units.humanBytes(t.criticalBytes()) : "warning " + Units.humanBytes(t.warningBytes())) + ")");
        }
        if (l.timeLevel() != null && l.timeLevel() != CheckStatus.OK) {
            reasons.add(Units.humanDuration(l.timeBehind()) + " behind (" + (l.timeLevel() == CheckStatus.CRITICAL
                    ? "critical " + Units.humanDuration(t.criticalTime()) : "warning " + Units.humanDuration(t.warningTime())) + ")");
        }
        return String.join(", ", reasons);
    }

    /** The lag check's JSON and YAML: the report with its summary and each replica's reason in words, as scripts have read them. */
    public record LagJson(String cluster, String leader, CheckStatus status, String summary, Thresholds thresholds,
                          List<ReplicaJson> replicas, Instant checkedAt, Duration took) {
    }

    public record ReplicaJson(String member, String host, int port, boolean reachable, Boolean streaming, Boolean slotActive,
                              Long bytesBehind, Duration timeBehind, String timeSource, CheckStatus status, String reason) {
    }

    public static LagJson json(LagReport r) {
        return new LagJson(r.cluster(), r.leader(), r.status(), summary(r), r.thresholds(), r.replicas().stream()
                .map(l -> new ReplicaJson(l.member(), l.host(), l.port(), l.reachable(), l.streaming(), l.slotActive(), l.bytesBehind(),
                        l.timeBehind(), l.timeSource(), l.status(), reason(l, r.thresholds()))).toList(), r.checkedAt(), r.took());
    }

    private static String perf(String label, String value, Object warn, Object crit) {
        return label + "=" + value + ";" + warn + ";" + crit + ";0;";
    }

    private static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.3f", d.toNanos() / 1e9);
    }

    /** The text exposition format, for node_exporter's textfile collector. */
    public static String prometheus(LagReport r) {
        StringBuilder sb = new StringBuilder();
        String cluster = "cluster=\"" + escape(r.cluster()) + "\"";
        metric(sb, "connect_replication_lag_bytes", "Bytes the replica's replay position is behind the leader's current WAL position.");
        for (ReplicaLag l : r.replicas()) {
            if (l.bytesBehind() != null) {
                sb.append("connect_replication_lag_bytes{").append(cluster).append(",member=\"").append(escape(l.member())).append("\"} ")
                        .append(l.bytesBehind()).append('\n');
            }
        }
        metric(sb, "connect_replication_lag_seconds", "How far behind the replica is in time; 0 when no bytes are behind (an idle primary is not lag).");
        for (ReplicaLag l : r.replicas()) {
            if (l.timeBehind() != null) {
                sb.append("connect_replication_lag_seconds{").append(cluster).append(",member=\"").append(escape(l.member())).append("\"} ")
                        .append(seconds(l.timeBehind())).append('\n');
            }
        }
        metric(sb, "connect_replication_streaming", "1 when the leader's pg_stat_replication shows the replica streaming, else 0.");
        for (ReplicaLag l : r.replicas()) {
            sb.append("connect_replication_streaming{").append(cluster).append(",member=\"").append(escape(l.member())).append("\"} ")
                    .append(Boolean.TRUE.equals(l.streaming()) ? 1 : 0).append('\n');
        }
        metric(sb, "connect_replication_check_status", "The check's Nagios state: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN.");
        sb.append("connect_replication_check_status{").append(cluster).append("} ").append(r.status().exitCode()).append('\n');
        metric(sb, "connect_replication_check_duration_seconds", "How long the check took.");
        sb.append("connect_replication_check_duration_seconds{").append(cluster).append("} ").append(seconds(r.took())).append('\n');
        metric(sb, "connect_replication_check_timestamp_seconds", "When the check ran, in seconds since the epoch.");
        sb.append("connect_replication_check_timestamp_seconds{").append(cluster).append("} ")
                .append(r.checkedAt().getEpochSecond()).append('\n');
        return sb.toString();
    }

    private static void metric(StringBuilder sb, String name, String help) {
        sb.append("# HELP ").append(name).append(' ').append(help).append('\n');
        sb.append("# TYPE ").append(name).append(" gauge\n");
    }

    private static String escape(String label) {
        return label.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    public static String nagios(String service, io.connectha.check.SlotCheck.Report r) {
        List<String> perf = new ArrayList<>();
        for (io.connectha.check.SlotCheck.Slot s : r.slots()) {
            if (s.retainedBytes() != null) {
                perf.add(perf("'" + s.name() + "_retained_bytes'", s.retainedBytes() + "B", r.warningBytes(), r.criticalBytes()));
            }
            perf.add("'" + s.name() + "_active'=" + (s.active() ? 1 : 0) + ";;;0;1");
        }
        String line = service + " " + r.status() + " - " + summary(r);
        // a monitoring system reads one line: a newline or escape code in a name must not end or colour it
        return Printable.visible(perf.isEmpty() ? line : line + " | " + String.join(" ", perf));
    }

    /** The slots in one line, or why none was looked at. */
    public static String summary(SlotCheck.Report r) {
        if (r.leader() == null) {
            return r.writers().isEmpty() ? "the leader cannot be reached or there is none" : "two writers: " + r.writers();
        }
        return r.slots().isEmpty() ? "no replication slots on " + r.leader()
                : String.join("; ", r.slots().stream().map(s -> s.name() + (s.active() ? " active" : " INACTIVE") + ", keeps "
                + (s.retainedBytes() == null ? "?" : Units.humanBytes(s.retainedBytes()))).toList());
    }

    /** Why a slot is in its state: empty when it is OK. */
    public static String reason(SlotCheck.Slot s) {
        List<String> reasons = new ArrayList<>();
        if (!s.active()) {
            reasons.add("inactive: it keeps WAL until it is used or dropped");
        }
        if (s.retainedLevel() != null && s.retainedLevel() != CheckStatus.OK) {
            reasons.add("keeps " + Units.humanBytes(s.retainedBytes()) + " of WAL");
        }
        if (s.lost()) {
            reasons.add("WAL it needs is gone (wal_status lost)");
        }
        return String.join(", ", reasons);
    }

    /** The slots check's JSON and YAML, with the summary and each slot's reason in words, as scripts have read them. */
    public record SlotsJson(String cluster, String leader, CheckStatus status, String summary, long warningBytes, long criticalBytes,
                            List<SlotJson> slots, Instant checkedAt, Duration took) {
    }

    public record SlotJson(String name, String type, boolean active, Long retainedBytes, String walStatus, CheckStatus status, String reason) {
    }

    public static SlotsJson json(SlotCheck.Report r) {
        return new SlotsJson(r.cluster(), r.leader(), r.status(), summary(r), r.warningBytes(), r.criticalBytes(), r.slots().stream()
                .map(s -> new SlotJson(s.name(), s.type(), s.active(), s.retainedBytes(), s.walStatus(), s.status(), reason(s))).toList(),
                r.checkedAt(), r.took());
    }

    public static String prometheus(io.connectha.check.SlotCheck.Report r) {
        StringBuilder sb = new StringBuilder();
        String cluster = "cluster=\"" + escape(r.cluster()) + "\"";
        metric(sb, "connect_replication_slot_retained_bytes", "WAL the slot keeps on the leader, in bytes.");
        for (io.connectha.check.SlotCheck.Slot s : r.slots()) {
            if (s.retainedBytes() != null) {
                sb.append("connect_replication_slot_retained_bytes{").append(cluster).append(",slot=\"").append(escape(s.name())).append("\"} ")
                        .append(s.retainedBytes()).append('\n');
            }
        }
        metric(sb, "connect_replication_slot_active", "1 when the slot is in use, else 0.");
        for (io.connectha.check.SlotCheck.Slot s : r.slots()) {
            sb.append("connect_replication_slot_active{").append(cluster).append(",slot=\"").append(escape(s.name())).append("\"} ")
                    .append(s.active() ? 1 : 0).append('\n');
        }
        metric(sb, "connect_replication_slot_check_status", "The check's Nagios state: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN.");
        sb.append("connect_replication_slot_check_status{").append(cluster).append("} ").append(r.status().exitCode()).append('\n');
        return sb.toString();
    }

    public static void table(PrintWriter out, io.connectha.check.SlotCheck.Report r) {
        out.println(Printable.visible("Replication slots on " + r.cluster() + ": " + r.status() + (r.leader() == null ? "" : " (leader " + r.leader() + ")")));
        Table t = new Table("SLOT", "TYPE", "ACTIVE", "KEEPS", "WAL STATUS", "STATE", "WHY");
        for (io.connectha.check.SlotCheck.Slot s : r.slots()) {
            t.row(s.name(), s.type(), s.active() ? "yes" : "NO", s.retainedBytes() == null ? "?" : Units.humanBytes(s.retainedBytes()),
                    s.walStatus(), s.status(), reason(s));
        }
        t.print(out);
        if (r.slots().isEmpty()) {
            out.println(Printable.visible(summary(r)));
        }
    }

    public static String nagios(String service, io.connectha.check.ClusterCheck.Report r) {
        String failed = String.join("; ", r.criteria().stream().filter(c -> !c.met()).map(c -> c.name() + ": " + measured(c)).toList());
        String warned = r.warnings().isEmpty() ? "" : "; " + r.warnings().size() + " warning" + (r.warnings().size() == 1 ? "" : "s") + ": "
                + String.join("; ", r.warnings().stream().map(io.connectha.cluster.Problem::message).toList());
        return Printable.visible(service + " " + r.status() + " - " + (r.failed() == 0 ? "all " + r.criteria().size() + " criteria met"
                : r.failed() + " of " + r.criteria().size() + " criteria not met: " + failed) + warned);
    }

    public static void table(PrintWriter out, io.connectha.check.ClusterCheck.Report r) {
        out.println(Printable.visible("Validation of " + r.cluster()) + ": " + (r.failed() == 0 ? "every criterion met" : r.failed() + " not met"));
        for (io.connectha.check.ClusterCheck.Criterion c : r.criteria()) {
            out.printf(Locale.ROOT, "  %s %-42s %s%n", c.met() ? "✓" : "✗", c.name(), Printable.visible(measured(c)));
        }
        for (io.connectha.cluster.Problem w : r.warnings()) {
            out.printf(Locale.ROOT, "  ! %-42s %s%n", w.code(), Printable.visible(w.message()));
        }
    }

    /** What was measured for a criterion, in words. */
    public static String measured(io.connectha.check.ClusterCheck.Criterion c) {
        if (c.lag() == null) {
            return c.measured();
        }
        return (c.lag().maxBytes() == null ? "unknown for some replica" : "max " + Units.humanBytes(c.lag().maxBytes()))
                + " (threshold " + Units.humanBytes(c.lag().thresholdBytes()) + ")";
    }

    /** The checklist's JSON and YAML, with what each criterion measured in words, as scripts have read it. */
    public record ClusterCheckJson(String cluster, CheckStatus status, List<CriterionJson> criteria, Duration took,
                                   List<io.connectha.cluster.Problem> warnings) {
    }

    public record CriterionJson(String name, boolean met, String measured) {
    }

    public static ClusterCheckJson json(io.connectha.check.ClusterCheck.Report r) {
        return new ClusterCheckJson(r.cluster(), r.status(), r.criteria().stream()
                .map(c -> new CriterionJson(c.name(), c.met(), measured(c))).toList(), r.took(), r.warnings());
    }

    public static void table(PrintWriter out, LagReport r) {
        out.println(Printable.visible("Replication lag on " + r.cluster() + ": " + r.status() + (r.leader() == null ? "" : " (leader " + r.leader() + ")")));
        Table t = new Table("REPLICA", "BYTES BEHIND", "TIME BEHIND", "FROM", "STREAMING", "SLOT", "STATE", "WHY");
        for (ReplicaLag l : r.replicas()) {
            t.row(l.member(), l.bytesBehind() == null ? "?" : Units.humanBytes(l.bytesBehind()),
                    l.timeBehind() == null ? "?" : Units.humanDuration(l.timeBehind()), l.timeSource() == null ? "" : l.timeSource(),
                    l.streaming() == null ? "?" : l.streaming() ? "yes" : "NO",
                    l.slotActive() == null ? "-" : l.slotActive() ? "active" : "INACTIVE", l.status(), reason(l, r.thresholds()));
        }
        t.print(out);
        if (r.replicas().isEmpty() || r.status() == CheckStatus.UNKNOWN) {
            out.println(Printable.visible(summary(r)));
        }
        Thresholds th = r.thresholds();
        out.println("Thresholds: warning " + Units.humanBytes(th.warningBytes()) + " / " + Units.humanDuration(th.warningTime())
                + ", critical " + Units.humanBytes(th.criticalBytes()) + " / " + Units.humanDuration(th.criticalTime())
                + ". Checked in " + Units.humanDuration(r.took()) + ".");
    }
}
