package io.connectha.drill;

import io.connectha.cluster.ClusterSpec;
import io.connectha.cluster.LoadedCluster;
import io.connectha.cluster.SecretName;
import io.connectha.cluster.SecretResolver;
import io.connectha.error.ConnectError;
import io.connectha.pg.Endpoints;
import io.connectha.pg.PgConnector;
import io.connectha.pg.Sql;
import io.connectha.process.Progress;
import io.connectha.status.ClusterStatus;
import io.connectha.cluster.Problem;
import io.connectha.status.StatusService;

import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * What every drill (failover, switchover, rejoin, split-brain) shares: one start (preflight, a fresh table for the load)
 * and one end (healthy again, verification, the table dropped), and the write port the load uses.
 */
final class DrillSteps {

    private DrillSteps() {
    }

    static StatusService statusService(LoadedCluster cluster, SecretResolver secrets) {
        return new StatusService(cluster, secrets, new StatusService.Options(STATUS_CONNECT, STATUS_READ,
                cluster.spec().patroni().maximumLagOnFailover().bytes()));
    }

    private static final Duration STATUS_CONNECT = Duration.ofSeconds(1);
    private static final Duration STATUS_READ = Duration.ofSeconds(2);

    /** The deadline of the drills' status service: the same rule as {@code status}'s, for its timeouts. */
    static Duration statusDeadline() {
        return new StatusService.Options(STATUS_CONNECT, STATUS_READ, null).deadline();
    }

    /** The HAProxy write port, as the application user: where the drills' load writes. */
    static PgConnector.Endpoint writePort(ClusterSpec spec) {
        return Endpoints.haproxyWrite(spec, spec.postgresql().database(), spec.postgresql().appUser());
    }

    /** Drops and creates a table through the write port, as the application user, so that every member has it. */
    static void recreateTable(PgConnector pg, ClusterSpec spec, SecretResolver secrets, String table, String columns) {
        Connection c = pg.connect(writePort(spec), secrets.password(SecretName.app));
        try {
            Sql.execute(c, "DROP TABLE IF EXISTS " + table);
            Sql.execute(c, "CREATE TABLE " + table + " (" + columns + ")");
        } finally {
            Sql.close(c);
        }
    }

    static void dropTable(ClusterProbe probe, String leader, String table) {
        try {
            Connection c = probe.connect(probe.member(leader), probe.spec().postgresql().database());
            try {
                Sql.execute(c, "DROP TABLE IF EXISTS " + table);
            } finally {
                Sql.close(c);
            }
        } catch (ConnectError e) {
            // left for the next run, which drops it first
        }
    }

    /** What every drill starts from: the status service, the status preflight passed on, and its leader. */
    record Start(StatusService status, ClusterStatus before, String oldLeader) {
    }

    /**
     * The start every drill shares: preflight (refused with every reason when the cluster is not healthy), then the
     * drill's table created afresh through the write port, so that the load has somewhere to write.
     */
    static Start start(StatusService status, PgConnector pg, ClusterSpec spec, SecretResolver secrets, Progress progress, String table,
                       String columns) {
        ClusterStatus before = Preflight.require(status);
        progress.info("Preflight passed: leader " + before.leader() + ", every replica streaming, HAProxy routes writes to it.");
        recreateTable(pg, spec, secrets, table, columns);
        return new Start(status, before, before.leader());
    }

    /** What a drill's end found: the cluster's last status, and what the drill verified on it. */
    record End<T>(ClusterStatus after, T verified) {
    }

    /**
     * The end every drill shares, once what the fault stopped is back: the cluster healthy again (waited for up to
     * {@code settle}), the drill's verification on that status, the table dropped unless kept, and nothing left for
     * Ctrl-C to undo. The drill then makes its report.
     */
    static <T> End<T> end(StatusService status, Duration settle, DrillGuard guard, boolean keepTable, Function<ClusterStatus, T> verify,
                          Consumer<ClusterStatus> dropTable) {
        ClusterStatus after = awaitHealthy(status, settle);
        T verified = verify.apply(after);
        if (!keepTable) {
            dropTable.accept(after);
        }
        guard.completed();
        return new End<>(after, verified);
    }

    /** Checks status until it is healthy or the deadline passes; the last status either way. */
    static ClusterStatus awaitHealthy(StatusService status, Duration deadline) {
        long end = System.nanoTime() + deadline.toNanos();
        ClusterStatus s = status.check();
        while (!s.healthy() && System.nanoTime() < end) {
            Drills.sleep(500);
            s = status.check();
        }
        return s;
    }

    static List<String> problems(ClusterStatus s) {
        return s.problems().stream().map(Problem::message).toList();
    }
}
