package io.connectha.render;

import io.connectha.check.CheckItem;
import io.connectha.check.CheckStatus;
import io.connectha.check.ItemFacts;
import io.connectha.check.ItemResult;
import io.connectha.check.ItemsReport;
import io.connectha.check.Measure;
import io.connectha.units.Printable;
import io.connectha.units.Units;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** {@code check --only}: one Nagios line with each item's perfdata, Prometheus text, JSON and YAML, and a table. */
public final class CheckItemView {

    /** A config change names at most this many settings in its line; the JSON has them all. */
    private static final int CHANGES_SHOWN = 5;

    private CheckItemView() {
    }

    /** {@code HA CHECK LEADER}, {@code HA CHECK LEADER,PAUSED}: the service, as the error handler also names it. */
    public static String service(String base, List<CheckItem> items) {
        return base + " " + items.stream().map(i -> i.name().toUpperCase(Locale.ROOT)).collect(Collectors.joining(","));
    }

    /** {@code HA CHECK LEADER OK - leader pg2 running on timeline 3 | 'has_leader'=1;;1:;0;1 ...} */
    public static String nagios(String service, ItemsReport r) {
        String line = service + " " + r.status() + " - " + summary(r);
        List<String> perf = r.items().stream().flatMap(i -> i.measures().stream()).map(CheckItemView::perf).toList();
        // a monitoring system reads one line: a newline or escape code in a name must not end or colour it
        return Printable.visible(perf.isEmpty() ? line : line + " | " + String.join(" ", perf));
    }

    /** Each item's summary; with several items, each after its name. */
    public static String summary(ItemsReport r) {
        if (r.items().size() == 1) {
            return summary(r.items().get(0));
        }
        return r.items().stream().map(i -> i.item() + " " + i.status() + ": " + summary(i)).collect(Collectors.joining("; "));
    }

    /** check_patroni's label: {@code healthy_replica}, {@code pg2_lag} for a member, {@code state_in_archive_recovery} for a state. */
    static String label(Measure m) {
        String label = m.labelName() == null ? m.name()
                : m.labelName().equals("member") ? m.labelValue() + "_" + m.name()
                : m.name() + "_" + m.labelValue().replace(' ', '_');
        // a quote would end Nagios's quoted label
        return label.replace("'", "");
    }

    static String perf(Measure m) {
        return "'" + label(m) + "'=" + m.value() + m.unit() + ";" + m.warning() + ";" + m.critical() + ";"
                + (m.min() == null ? "" : m.min()) + ";" + (m.max() == null ? "" : m.max());
    }

    /** Why the item is in its state, in one line. */
    public static String summary(ItemResult r) {
        ItemFacts f = r.facts();
        if (f instanceof ItemFacts.Leader l) {
            return leader(l);
        } else if (f instanceof ItemFacts.Replicas x) {
            return replicas(x, r.status());
        } else if (f instanceof ItemFacts.Members x) {
            return members(x, r.status());
        } else if (f instanceof ItemFacts.SyncStandbys x) {
            return sync(x);
        } else if (f instanceof ItemFacts.Paused x) {
            return x.paused() ? "Patroni is paused (maintenance mode): it fails nothing over" : "Patroni is not paused";
        } else if (f instanceof ItemFacts.Scheduled x) {
            return scheduled(x);
        } else if (f instanceof ItemFacts.PendingRestart x) {
            return pending(x);
        } else if (f instanceof ItemFacts.TimelineChanged x) {
            return timeline(x);
        } else if (f instanceof ItemFacts.ConfigChanged x) {
            return config(x);
        }
        throw new IllegalStateException("no words for " + f);
    }

    private static String leader(ItemFacts.Leader l) {
        String kind = l.standbyLeader() ? "standby leader " : "leader ";
        if (l.leader() == null) {
            return "no leader: no member holds the leader key";
        }
        String tl = l.timeline() == null ? "" : " on timeline " + l.timeline();
        if (!l.running()) {
            return "no running leader: " + kind + l.leader() + " is " + (l.state() == null ? "in an unknown state" : l.state());
        }
        if (l.inArchiveRecovery()) {
            return kind + l.leader() + " in archive recovery" + tl + ": log shipping may be stuck, and Patroni cannot tell";
        }
        return kind + l.leader() + " " + l.state() + tl;
    }

    private static String replicas(ItemFacts.Replicas x, CheckStatus status) {
        int n = x.replicas().size();
        StringBuilder sb = new StringBuilder(x.healthy() + " of " + n + " replica" + (n == 1 ? "" : "s") + " healthy");
        if (status == CheckStatus.CRITICAL) {
            sb.append(", fewer than ").append(x.minCritical()).append(" (critical)");
        } else if (status == CheckStatus.WARNING) {
            sb.append(", fewer than ").append(x.minWarning()).append(" (warning)");
        }
        List<String> each = new ArrayList<>();
        for (ItemFacts.Replica r : x.replicas()) {
            String lag = r.lagBytes() == null ? "lag unknown" : "lag " + Units.humanBytes(r.lagBytes());
            if (r.healthy()) {
                each.add(r.name() + (Boolean.TRUE.equals(r.streaming()) ? " streaming" : " running") + ", " + lag + (r.sync() ? ", sync" : ""));
            } else {
                List<String> why = new ArrayList<>();
                for (ItemFacts.ReplicaProblem p : r.problems()) {
                    why.add(switch (p) {
                        case not_running -> "not running (" + (r.state() == null ? "state unknown" : r.state()) + ")";
                        case not_streaming -> "not streaming";
                        case other_timeline -> "on timeline " + (r.timeline() == null ? "?" : r.timeline())
                                + (x.leaderTimeline() == null ? " (no leader)" : ", the leader on " + x.leaderTimeline());
                        case lag_unknown -> "lag unknown";
                        case lag_over_max -> "lag " + Units.humanBytes(r.lagBytes()) + " over " + Units.humanBytes(x.maxLagBytes());
                    });
                }
                each.add(r.name() + " " + String.join(", ", why));
            }
        }
        return each.isEmpty() ? sb.toString() : sb + ": " + String.join("; ", each);
    }

    private static String members(ItemFacts.Members x, CheckStatus status) {
        StringBuilder sb = new StringBuilder(x.healthy() + " of " + x.members() + " members healthy");
        if (status == CheckStatus.CRITICAL) {
            sb.append(", fewer than ").append(x.minCritical()).append(" (critical)");
        } else if (status == CheckStatus.WARNING) {
            sb.append(", fewer than ").append(x.minWarning()).append(" (warning)");
        }
        List<String> each = new ArrayList<>();
        x.unhealthy().forEach((m, s) -> each.add(m + " " + s));
        x.missing().forEach(m -> each.add(m + " not listed by Patroni"));
        return each.isEmpty() ? sb.toString() : sb + ": " + String.join("; ", each);
    }

    private static String sync(ItemFacts.SyncStandbys x) {
        if (x.mode().equals("off")) {
            return "synchronous_mode is off: no synchronous standby expected";
        }
        String names = x.syncStandbys().isEmpty() ? "" : " (" + String.join(", ", x.syncStandbys()) + ")";
        String line = x.syncStandbys().size() + " synchronous standby" + (x.syncStandbys().size() == 1 ? "" : "s") + names
                + " of synchronous_node_count " + x.expected() + " (synchronous_mode " + x.mode() + (x.strict() ? ", strict" : "") + ")";
        if (x.syncStandbys().isEmpty()) {
            return line + (x.strict() ? ": commits wait until a standby is synchronous again" : ": commits are no longer synchronous");
        }
        return line;
    }

    private static String scheduled(ItemFacts.Scheduled x) {
        List<String> each = new ArrayList<>();
        if (x.switchover() != null) {
            each.add("switchover" + (x.switchover().from() == null ? "" : " from " + x.switchover().from())
                    + (x.switchover().to() == null ? "" : " to " + x.switchover().to()) + " scheduled at " + x.switchover().at());
        }
        x.restarts().forEach(r -> each.add("restart of " + r.member() + " scheduled at " + r.at()));
        return each.isEmpty() ? "no scheduled switchover or restart" : String.join("; ", each);
    }

    private static String pending(ItemFacts.PendingRestart x) {
        String from = x.unanswered().isEmpty() ? "" : " (" + String.join(", ", x.unanswered())
                + ": " + (x.unanswered().size() == 1 ? "its" : "their") + " Patroni did not answer, the DCS's flag is used)";
        return (x.pending().isEmpty() ? "no member pending restart"
                : String.join(", ", x.pending()) + " pending restart: a setting waits for PostgreSQL to restart") + from;
    }

    private static String timeline(ItemFacts.TimelineChanged x) {
        if (x.current() == null) {
            return "no member reports a timeline; the state file is left as it was";
        }
        String leader = x.leader() == null ? "" : " (leader " + x.leader() + ")";
        if (x.firstRun()) {
            return "timeline " + x.current() + leader + " recorded: first run";
        }
        if (x.changed()) {
            return "timeline changed from " + x.previous() + " to " + x.current() + leader + ": a failover or switchover happened";
        }
        return "timeline still " + x.current() + leader;
    }

    private static String config(ItemFacts.ConfigChanged x) {
        String hash = x.hash().substring(0, 12);
        if (x.firstRun()) {
            return "DCS config recorded (first run, hash " + hash + ")";
        }
        if (!x.changed()) {
            return "DCS config unchanged (hash " + hash + ")";
        }
        List<String> each = x.changes().stream().limit(CHANGES_SHOWN)
                .map(c -> c.key() + " " + (c.before() == null ? "(unset)" : c.before()) + " -> " + (c.after() == null ? "(unset)" : c.after()))
                .collect(Collectors.toList());
        if (x.changes().size() > CHANGES_SHOWN) {
            each.add("and " + (x.changes().size() - CHANGES_SHOWN) + " more");
        }
        return "config changed: " + (each.isEmpty() ? "hash " + x.previousHash().substring(0, 12) + " -> " + hash : String.join("; ", each));
    }

    /** The JSON and YAML of {@code --only}: the same shape for one item or several. */
    public record ItemsJson(String cluster, CheckStatus status, String summary, List<ItemJson> items, Instant checkedAt, Duration took) {
    }

    public record ItemJson(CheckItem item, CheckStatus status, String summary, ItemFacts facts, List<PerfJson> perfdata) {
    }

    public record PerfJson(String label, String name, String member, String role, String state, long value, String unit,
                           String warning, String critical) {
    }

    public static ItemsJson json(ItemsReport r) {
        return new ItemsJson(r.cluster(), r.status(), summary(r), r.items().stream().map(i -> new ItemJson(i.item(), i.status(), summary(i),
                i.facts(), i.measures().stream().map(m -> new PerfJson(label(m), m.name(),
                        "member".equals(m.labelName()) ? m.labelValue() : null, "role".equals(m.labelName()) ? m.labelValue() : null,
                        "state".equals(m.labelName()) ? m.labelValue() : null, m.value(), m.unit(), m.warning(), m.critical())).toList()))
                .toList(), r.checkedAt(), r.took());
    }

    public static void table(PrintWriter out, ItemsReport r) {
        out.println(Printable.visible("Check of " + r.cluster() + ": " + r.status()));
        Table t = new Table("ITEM", "STATE", "FOUND");
        for (ItemResult i : r.items()) {
            t.row(i.item().name(), i.status().name(), summary(i));
        }
        t.print(out);
    }

    /** Prometheus's text exposition: each figure as {@code connect_check_<item>_<figure>}, and each item's state. */
    public static String prometheus(ItemsReport r) {
        String cluster = "cluster=\"" + escape(r.cluster()) + "\"";
        Map<String, List<String>> samples = new LinkedHashMap<>();
        Map<String, String> help = new LinkedHashMap<>();
        String status = "connect_check_status";
        help.put(status, "The item's Nagios state: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN.");
        for (ItemResult i : r.items()) {
            samples.computeIfAbsent(status, k -> new ArrayList<>()).add(status + "{" + cluster + ",item=\"" + i.item() + "\"} " + i.status().exitCode());
        }
        for (ItemResult i : r.items()) {
            for (Measure m : i.measures()) {
                String name = "connect_check_" + i.item() + "_" + m.name() + (m.unit().equals("B") ? "_bytes" : "");
                help.putIfAbsent(name, HELP.getOrDefault(i.item() + "." + m.name(), "check_patroni's perfdata " + m.name() + " of " + i.item() + "."));
                String labels = m.labelName() == null ? cluster : cluster + "," + m.labelName() + "=\"" + escape(m.labelValue()) + "\"";
                samples.computeIfAbsent(name, k -> new ArrayList<>()).add(name + "{" + labels + "} " + m.value());
            }
        }
        help.put("connect_check_duration_seconds", "How long the check took.");
        samples.put("connect_check_duration_seconds", List.of("connect_check_duration_seconds{" + cluster + "} "
                + String.format(Locale.ROOT, "%.3f", r.took().toNanos() / 1e9)));
        help.put("connect_check_timestamp_seconds", "When the check ran, in seconds since the epoch.");
        samples.put("connect_check_timestamp_seconds", List.of("connect_check_timestamp_seconds{" + cluster + "} " + r.checkedAt().getEpochSecond()));
        StringBuilder sb = new StringBuilder();
        samples.forEach((name, lines) -> {
            sb.append("# HELP ").append(name).append(' ').append(help.get(name)).append('\n');
            sb.append("# TYPE ").append(name).append(" gauge\n");
            lines.forEach(l -> sb.append(l).append('\n'));
        });
        return sb.toString();
    }

    private static String escape(String label) {
        return label.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    private static final Map<String, String> HELP = Map.ofEntries(
            Map.entry("leader.has_leader", "1 when a leader (or standby leader) is running, else 0."),
            Map.entry("leader.is_standby_leader_in_arc_rec", "1 when the standby leader is in archive recovery, else 0."),
            Map.entry("leader.is_standby_leader", "1 when the running leader is a standby leader, else 0."),
            Map.entry("leader.is_leader", "1 when the running leader is a primary leader, else 0."),
            Map.entry("replicas.healthy_replica", "Replicas running, streaming, on the leader's timeline and within the lag maximum."),
            Map.entry("replicas.unhealthy_replica", "Replicas that are not healthy."),
            Map.entry("replicas.sync_replica", "Healthy replicas that are synchronous standbys."),
            Map.entry("replicas.lag", "The replica's lag in bytes, as Patroni reports it."),
            Map.entry("replicas.timeline", "The replica's timeline."),
            Map.entry("replicas.sync", "1 when the replica is a synchronous standby, else 0."),
            Map.entry("replicas.streaming", "1 when the leader's pg_stat_replication shows the replica streaming, else 0."),
            Map.entry("members.members", "Members Patroni lists."),
            Map.entry("members.healthy_members", "Members whose PostgreSQL runs (a leader running, a replica running or streaming)."),
            Map.entry("members.role", "Members with each role."),
            Map.entry("members.state", "Members in each state."),
            Map.entry("sync_standbys.sync_standbys", "Members whose role is sync_standby."),
            Map.entry("sync_standbys.expected_sync_standbys", "Patroni's synchronous_node_count; 0 when synchronous_mode is off."),
            Map.entry("paused.is_in_maintenance", "1 when Patroni is paused (maintenance mode), else 0."),
            Map.entry("scheduled_action.has_scheduled_actions", "1 when a switchover or restart is scheduled, else 0."),
            Map.entry("scheduled_action.scheduled_switchover", "1 when a switchover is scheduled, else 0."),
            Map.entry("scheduled_action.scheduled_restart", "Members with a scheduled restart."),
            Map.entry("pending_restart.pending_restart", "Members pending restart (with member: 1 when that one is)."),
            Map.entry("timeline_changed.is_timeline_changed", "1 when the timeline changed since the last run, else 0."),
            Map.entry("timeline_changed.timeline", "The leader's timeline."),
            Map.entry("config_changed.is_configuration_changed", "1 when the DCS config changed since the last run, else 0."),
            Map.entry("config_changed.changed_settings", "Settings of the DCS config that changed since the last run."));
}
