package io.connectha.render;

import io.connectha.check.ItemResult;
import io.connectha.cluster.Problem;
import io.connectha.haproxy.HaproxyServer;
import io.connectha.monitor.EventType;
import io.connectha.monitor.MonitorSnapshot;
import io.connectha.monitor.ProbeFigures;
import io.connectha.monitor.Round;
import io.connectha.pgbouncer.PgbouncerPool;
import io.connectha.status.ClusterStatus;
import io.connectha.status.MemberRole;
import io.connectha.status.MemberStatus;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The monitor's {@code /metrics} in Prometheus's text format (0.0.4): base units (seconds, bytes, ratios),
 * {@code _total} counters, enumerations as a label with value 1, every sample labelled with its cluster.
 * Made from the last gathered snapshot only. Figures a component did not give this round are left out
 * rather than shown as zero, so an alert on them goes to "no data", not to a false value; the age
 * metrics say how old the rest is.
 */
public final class MonitorMetrics {

    private MonitorMetrics() {
    }

    /** Families in the order they are first added; each one's samples together, as the format requires. */
    private static final class Families {
        private final Map<String, Family> families = new LinkedHashMap<>();
        private final String cluster;

        Families(String cluster) {
            this.cluster = cluster;
        }

        Family family(String name, String type, String help) {
            return families.computeIfAbsent(name, n -> new Family(n, type, help));
        }

        void gauge(String name, String help, double value, String... labels) {
            family(name, "gauge", help).sample(name, cluster, value, labels);
        }

        void counter(String name, String help, double value, String... labels) {
            family(name, "counter", help).sample(name, cluster, value, labels);
        }

        String text() {
            StringBuilder sb = new StringBuilder(8192);
            for (Family f : families.values()) {
                if (f.samples.isEmpty()) {
                    continue;
                }
                sb.append("# HELP ").append(f.name).append(' ').append(f.help).append('\n');
                sb.append("# TYPE ").append(f.name).append(' ').append(f.type).append('\n');
                f.samples.forEach(s -> sb.append(s).append('\n'));
            }
            return sb.toString();
        }
    }

    private static final class Family {
        final String name;
        final String type;
        final String help;
        final List<String> samples = new ArrayList<>();

        Family(String name, String type, String help) {
            this.name = name;
            this.type = type;
            this.help = help;
        }

        void sample(String sampleName, String cluster, double value, String... labels) {
            StringBuilder sb = new StringBuilder(sampleName).append("{cluster=\"").append(escape(cluster)).append('"');
            for (int i = 0; i + 1 < labels.length; i += 2) {
                sb.append(',').append(labels[i]).append("=\"").append(escape(labels[i + 1] == null ? "" : labels[i + 1])).append('"');
            }
            sb.append("} ").append(number(value));
            samples.add(sb.toString());
        }
    }

    public static String render(MonitorSnapshot s, String cluster) {
        Families f = new Families(cluster);
        monitor(f, s);
        Round round = s.round();
        if (round != null) {
            cluster(f, s, round.status());
            members(f, round.status());
            slots(f, round.status());
            etcd(f, round.status());
            haproxy(f, round.status());
            pgbouncer(f, round.status());
            for (ItemResult r : round.items().items()) {
                f.gauge("connect_check_status", "Each 'connect ha check --only' item: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN.",
                        r.status().exitCode(), "item", r.item().name());
            }
        }
        if (s.probe() != null) {
            probe(f, s.probe());
        }
        return f.text();
    }

    private static void monitor(Families f, MonitorSnapshot s) {
        f.counter("connect_monitor_gathers_total", "Rounds of gathering finished since the monitor started.", s.gathers());
        if (s.lastGatherTook() != null) {
            f.gauge("connect_monitor_gather_duration_seconds", "How long the last round of gathering took.", seconds(s.lastGatherTook()));
        }
        if (s.gatherAge() != null) {
            f.gauge("connect_monitor_gather_age_seconds", "Seconds since the last round of gathering finished: how old the other figures are.",
                    seconds(s.gatherAge()));
        }
        s.lastAnswer().forEach((key, at) -> {
            int slash = key.indexOf('/');
            f.gauge("connect_monitor_component_age_seconds", "Seconds since the component last answered (since the monitor started when never).",
                    seconds(Duration.between(at, s.now())), "component", key.substring(0, slash), "instance", key.substring(slash + 1));
        });
        f.gauge("connect_monitor_start_time_seconds", "When the monitor started, in seconds since the epoch.", epochSeconds(s.startedAt()));
        for (EventType t : EventType.values()) {
            f.counter("connect_monitor_events_total", "Events emitted since the monitor started, by type.",
                    s.events().getOrDefault(t, 0L), "type", t.name());
        }
        f.counter("connect_monitor_on_event_failures_total", "--on-event commands that failed, timed out or could not start.",
                s.hookFailures());
        f.counter("connect_monitor_events_dropped_total", "Events dropped because the event queue was full.", s.eventsDropped());
    }

    private static void cluster(Families f, MonitorSnapshot s, ClusterStatus st) {
        f.gauge("connect_cluster_has_leader", "1 when a member is leader (Patroni names it and its PostgreSQL takes writes).",
                st.leader() != null ? 1 : 0);
        if (st.timeline() != null) {
            f.gauge("connect_cluster_timeline", "The leader's timeline.", st.timeline());
        }
        f.gauge("connect_cluster_paused", "1 when Patroni's maintenance mode is on.", st.paused() ? 1 : 0);
        f.counter("connect_cluster_leader_changes_total", "Changes of the leader key's holder seen since the monitor started.",
                s.leaderChanges());
        for (Problem p : st.problems()) {
            f.gauge("connect_cluster_problem", "1 for each problem 'connect ha status' reports now.", 1,
                    "code", p.code(), "member", p.member() == null ? "" : p.member(), "severity", p.severity().name());
        }
    }

    private static void members(Families f, ClusterStatus st) {
        for (MemberStatus m : st.members()) {
            String n = m.name();
            f.gauge("connect_member_is_leader", "1 for the leader (or standby leader), else 0.", m.isLeader() ? 1 : 0, "member", n);
            MemberRole role = m.role() == null ? MemberRole.unknown : m.role();
            f.gauge("connect_member_role", "The member's role, as the label role (value 1).", 1, "member", n, "role", role.name());
            if (m.state() != null) {
                f.gauge("connect_member_state", "The member's state (Patroni's, or what is wrong), as the label state (value 1).", 1,
                        "member", n, "state", m.state());
            }
            f.gauge("connect_member_up", "1 when the member's Patroni (REST API) or PostgreSQL answered the last round.",
                    m.patroni() != null && m.patroni().reachable() ? 1 : 0, "member", n, "component", "patroni");
            f.gauge("connect_member_up", "1 when the member's Patroni (REST API) or PostgreSQL answered the last round.",
                    m.postgres() != null && m.postgres().reachable() ? 1 : 0, "member", n, "component", "postgres");
            if (m.timeline() != null) {
                f.gauge("connect_member_timeline", "The member's timeline.", m.timeline(), "member", n);
            }
            if (m.lagBytes() != null) {
                f.gauge("connect_member_lag_bytes", "WAL bytes the replica has yet to replay: the leader's current LSN minus its replay LSN.",
                        m.lagBytes(), "member", n);
            }
            if (m.lag() != null) {
                f.gauge("connect_member_lag_seconds", "How far behind in time the replica replays (pg_stat_replication's replay_lag).",
                        seconds(m.lag()), "member", n);
            }
            if (!m.isLeader() && m.streaming() != null) {
                f.gauge("connect_member_streaming", "1 when the leader's pg_stat_replication shows the replica streaming (replicas only).",
                        m.streaming() ? 1 : 0, "member", n);
            }
            f.gauge("connect_member_sync_standby", "1 when the member is a synchronous standby.", role == MemberRole.sync_standby ? 1 : 0,
                    "member", n);
            if (m.patroni() != null && m.patroni().reachable()) {
                f.gauge("connect_member_pending_restart", "1 when the member needs a restart for a changed setting.",
                        m.patroni().pendingRestart() ? 1 : 0, "member", n);
            }
        }
    }

    private static void slots(Families f, ClusterStatus st) {
        for (ClusterStatus.Slot slot : st.slots()) {
            f.gauge("connect_slot_active", "1 when the replication slot on the leader is active.", slot.active() ? 1 : 0,
                    "slot", slot.name(), "type", slot.type());
            if (slot.retainedBytes() != null) {
                f.gauge("connect_slot_retained_wal_bytes", "WAL the slot keeps on the leader.", slot.retainedBytes(), "slot", slot.name());
            }
        }
    }

    private static void etcd(Families f, ClusterStatus st) {
        ClusterStatus.Etcd e = st.etcd();
        if (e == null) {
            return;
        }
        for (ClusterStatus.EtcdEndpoint ep : e.endpoints()) {
            f.gauge("connect_etcd_endpoint_up", "1 when the etcd endpoint answered the last round.", ep.reachable() ? 1 : 0,
                    "endpoint", ep.endpoint());
        }
        f.gauge("connect_etcd_quorum", "1 when more than half of etcd's members answer and a raft leader is known.", e.quorum() ? 1 : 0);
        if (e.leaderKeyTtl() != null) {
            f.gauge("connect_etcd_leader_key_ttl_seconds", "Time left on the lease of Patroni's leader key.", seconds(e.leaderKeyTtl()));
        }
    }

    private static void haproxy(Families f, ClusterStatus st) {
        ClusterStatus.Haproxy h = st.haproxy();
        if (h == null) {
            return;
        }
        f.gauge("connect_haproxy_up", "1 when HAProxy's statistics answered the last round.", h.reachable() ? 1 : 0);
        List<HaproxyServer> servers = new ArrayList<>();
        if (h.write() != null) {
            servers.addAll(h.write());
        }
        if (h.read() != null) {
            servers.addAll(h.read());
        }
        for (HaproxyServer s : servers) {
            f.gauge("connect_haproxy_server_up", "1 when HAProxy has the server UP in the backend.",
                    s.status() != null && s.status().startsWith("UP") ? 1 : 0,
                    "backend", s.backend(), "server", s.server(), "member", s.member() == null ? "" : s.member());
        }
        if (h.writeReaches() != null) {
            f.gauge("connect_haproxy_write_reaches", "The member a connection through HAProxy's write port reaches (value 1).", 1,
                    "member", h.writeReaches());
        }
        if (h.writeReaches() != null || h.writeReachError() != null) {
            f.gauge("connect_haproxy_write_reaches_leader", "1 when a connection through HAProxy's write port reaches the leader.",
                    st.leader() != null && st.leader().equals(h.writeReaches()) ? 1 : 0);
        }
    }

    private static void pgbouncer(Families f, ClusterStatus st) {
        ClusterStatus.Pgbouncer b = st.pgbouncer();
        if (b == null) {
            return;
        }
        f.gauge("connect_pgbouncer_up", "1 when PgBouncer's console answered the last round.", b.reachable() ? 1 : 0);
        if (b.reachesLeader() != null) {
            f.gauge("connect_pgbouncer_reaches_leader", "1 when a connection through PgBouncer reaches the leader.",
                    b.reachesLeader() ? 1 : 0);
        }
        if (b.pools() == null) {
            return;
        }
        for (PgbouncerPool p : b.pools()) {
            f.gauge("connect_pgbouncer_pool_clients", "Client connections in the pool, by state.", p.clActive(),
                    "database", p.database(), "user", p.user(), "state", "active");
            f.gauge("connect_pgbouncer_pool_clients", "Client connections in the pool, by state.", p.clWaiting(),
                    "database", p.database(), "user", p.user(), "state", "waiting");
            f.gauge("connect_pgbouncer_pool_servers", "Server connections in the pool, by state.", p.svActive(),
                    "database", p.database(), "user", p.user(), "state", "active");
            f.gauge("connect_pgbouncer_pool_servers", "Server connections in the pool, by state.", p.svIdle(),
                    "database", p.database(), "user", p.user(), "state", "idle");
            if (p.maxWait() != null) {
                f.gauge("connect_pgbouncer_pool_max_wait_seconds", "How long the oldest waiting client has waited.", seconds(p.maxWait()),
                        "database", p.database(), "user", p.user());
            }
        }
    }

    private static void probe(Families f, ProbeFigures p) {
        f.gauge("connect_slo_objective_ratio", "The availability objective (--slo) as a ratio.",
                java.math.BigDecimal.valueOf(p.slo()).movePointLeft(2).doubleValue());
        for (ProbeFigures.Path path : p.paths()) {
            String n = path.path();
            f.counter("connect_probe_requests_total", "The probe's requests through the application's path, by result.", path.ok(),
                    "path", n, "result", "ok");
            f.counter("connect_probe_requests_total", "The probe's requests through the application's path, by result.", path.failed(),
                    "path", n, "result", "error");
            Family h = f.family("connect_probe_duration_seconds", "histogram", "How long the probe's requests took, failed ones included.");
            double[] bounds = path.bucketBounds();
            long[] counts = path.bucketCounts();
            for (int i = 0; i < bounds.length; i++) {
                h.sample("connect_probe_duration_seconds_bucket", f.cluster, counts[i], "path", n, "le", number(bounds[i]));
            }
            h.sample("connect_probe_duration_seconds_bucket", f.cluster, counts[bounds.length], "path", n, "le", "+Inf");
            h.sample("connect_probe_duration_seconds_sum", f.cluster, path.sumSeconds(), "path", n);
            h.sample("connect_probe_duration_seconds_count", f.cluster, counts[bounds.length], "path", n);
            f.gauge("connect_probe_up", "1 when the probe's last request on the path succeeded.", path.up() ? 1 : 0, "path", n);
            f.counter("connect_probe_outages_total", "Outages of the path seen by the probe (a failure after a success).", path.outages(),
                    "path", n);
            if (path.lastOutage() != null) {
                f.gauge("connect_probe_last_outage_seconds", "How long the last finished outage of the path lasted.",
                        seconds(path.lastOutage()), "path", n);
            }
            if (path.readStaleness() != null) {
                f.gauge("connect_probe_read_staleness_seconds", "How old the heartbeat read through the read path is.",
                        seconds(path.readStaleness()));
            }
            for (ProbeFigures.Window w : path.windows()) {
                f.gauge("connect_slo_availability_ratio", "The path's availability in the window (1 - downtime / time observed).",
                        w.availability(), "path", n, "window", w.name());
                f.gauge("connect_slo_error_budget_seconds", "Downtime the objective allows in the window.", seconds(w.budget()),
                        "path", n, "window", w.name());
                f.gauge("connect_slo_error_budget_remaining_seconds", "Error budget left in the window (negative: overspent).",
                        seconds(w.budgetRemaining()), "path", n, "window", w.name());
                f.gauge("connect_slo_downtime_seconds", "Downtime of the path in the window.", seconds(w.down()), "path", n,
                        "window", w.name());
            }
        }
    }

    private static double seconds(Duration d) {
        return d.toNanos() / 1e9;
    }

    private static double epochSeconds(Instant at) {
        return at.toEpochMilli() / 1000.0;
    }

    static String number(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "+Inf" : "-Inf";
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return java.math.BigDecimal.valueOf(v).toPlainString();
    }

    private static String escape(String label) {
        return label.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
