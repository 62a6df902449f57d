package io.connectha.render;

import io.connectha.units.Printable;

import io.connectha.units.Units;

import io.connectha.haproxy.HaproxyServer;
import io.connectha.pgbouncer.PgbouncerPool;
import io.connectha.status.ClusterStatus;
import io.connectha.status.MemberStatus;
import io.connectha.cluster.Problem;

import java.io.PrintWriter;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** {@code connect ha status} for people: members as patronictl lists them, one line per component, then problems. */
public final class StatusView {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());

    private StatusView() {
    }

    public static void print(PrintWriter out, ClusterStatus s) {
        out.println(Printable.visible("Cluster " + s.cluster() + " (scope " + s.scope() + "): "
                + (s.leader() == null ? "NO LEADER" : "leader " + s.leader()))
                + (s.timeline() == null ? "" : ", timeline " + s.timeline())
                + (s.paused() ? ", PAUSED (maintenance mode)" : "")
                + "    checked " + TIME.format(s.checkedAt()) + " in " + Units.humanDuration(s.took()));
        if (s.scheduledSwitchover() != null) {
            out.println(Printable.visible("Scheduled switchover at " + s.scheduledSwitchover().at()
                    + (s.scheduledSwitchover().to() == null ? "" : " to " + s.scheduledSwitchover().to())));
        }
        Table members = new Table("MEMBER", "HOST", "ROLE", "STATE", "TL", "LAG", "LAG TIME", "STREAMING");
        for (MemberStatus m : s.members()) {
            members.row(m.name(), m.host() + ":" + m.port(), m.role(), m.state(), m.timeline() == null ? "" : m.timeline(),
                    m.isLeader() ? "" : m.lagBytes() == null ? "?" : Units.humanBytes(m.lagBytes()),
                    m.isLeader() ? "" : m.lag() == null ? "?" : Units.humanDuration(m.lag()),
                    m.streaming() == null ? "" : m.streaming() ? "yes" : "NO");
        }
        members.print(out);
        out.println();
        Table components = new Table("COMPONENT", "STATE");
        components.row("etcd", etcd(s.etcd()));
        components.row("HAProxy", haproxy(s.haproxy()));
        components.row("PgBouncer", pgbouncer(s.pgbouncer()));
        if (!s.slots().isEmpty()) {
            components.row("Slots", s.slots().stream().map(sl -> sl.name() + (sl.active() ? " active" : " INACTIVE")
                    + (sl.retainedBytes() == null ? "" : " (keeps " + Units.humanBytes(sl.retainedBytes()) + ")"))
                    .collect(Collectors.joining(", ")));
        }
        if (s.dcsConfig() != null) {
            components.row("Patroni", patroniConfig(s.dcsConfig()));
        }
        components.print(out);
        out.println();
        problems(out, s.problems());
    }

    /** How Patroni runs: its timings and lag limit, and where they were read. */
    static String patroniConfig(ClusterStatus.DcsConfig c) {
        return "ttl " + c.ttl() + " s, loop_wait " + c.loopWait() + " s, retry_timeout " + c.retryTimeout() + " s, maximum_lag_on_failover "
                + (c.maximumLagOnFailover() == null ? "?" : Units.humanBytes(c.maximumLagOnFailover()))
                + (Boolean.TRUE.equals(c.synchronousMode()) ? ", synchronous" : "")
                + (c.live() ? " (live DCS config)" : " (cluster file: the live config could not be read)");
    }

    public static void problems(PrintWriter out, List<Problem> problems) {
        if (problems.isEmpty()) {
            out.println("No problems found.");
            return;
        }
        out.println("Problems (" + problems.size() + "):");
        for (Problem p : problems) {
            out.printf(Locale.ROOT, "  %-8s  %-26s  %s%n", p.severity().name().toUpperCase(Locale.ROOT), p.code(), Printable.visible(p.message()));
        }
    }

    private static String etcd(ClusterStatus.Etcd e) {
        String s = e.healthy() + "/" + e.endpoints().size() + " answering"
                + (e.raftLeader() == null ? ", NO raft leader" : ", raft leader " + e.raftLeader());
        if (e.leaderKeyHolder() != null) {
            s += "; Patroni leader key: " + e.leaderKeyHolder()
                    + (e.leaderKeyTtl() == null ? "" : " (lease " + Units.humanDuration(e.leaderKeyTtl()) + " left)");
        } else if (e.healthy() > 0) {
            s += "; Patroni leader key: none";
        }
        return e.healthy() == 0 ? "DOWN: " + e.error() : s;
    }

    private static String haproxy(ClusterStatus.Haproxy h) {
        String reach = h.writeReaches() != null ? "write port reaches " + h.writeReaches() : "write port: " + h.writeReachError();
        if (!h.reachable()) {
            return "stats DOWN (" + h.error() + "); " + reach;
        }
        return reach + "; " + backend("write", h.writeBackend(), h, h.write()) + "; " + backend("read", h.readBackend(), h, h.read());
    }

    /** A backend by its role, with its own name when the cluster file gives it another; a backend HAProxy lacks says so. */
    private static String backend(String role, String name, ClusterStatus.Haproxy h, List<HaproxyServer> servers) {
        String label = role.equals(name) ? role : role + " (" + name + ")";
        return h.has(name) ? label + " " + servers(servers) : label + " MISSING from HAProxy (it has " + String.join(", ", h.backends()) + ")";
    }

    private static String servers(List<HaproxyServer> servers) {
        return servers.stream().map(s -> s.label() + " " + s.status()).collect(Collectors.joining(", ", "[", "]"));
    }

    private static String pgbouncer(ClusterStatus.Pgbouncer b) {
        String reach = b.reaches() != null ? "reaches " + b.reaches() + (Boolean.TRUE.equals(b.reachesLeader()) ? " (leader)" : "")
                : "cannot reach the database: " + b.reachError();
        if (!b.reachable()) {
            return "admin console DOWN (" + b.error() + "); " + reach;
        }
        return reach + "; pools " + b.pools().stream().map(StatusView::pool).collect(Collectors.joining(", "));
    }

    private static String pool(PgbouncerPool p) {
        return p.database() + (p.isAlias() ? " (database " + p.dbname() + ")" : "") + "/" + p.user() + " clients " + p.clActive() + " active " + p.clWaiting() + " waiting, servers "
                + p.svActive() + " active " + p.svIdle() + " idle";
    }
}
