package io.connectha.drill;

import io.connectha.cluster.ClusterSpec;
import io.connectha.cluster.LoadedCluster;
import io.connectha.cluster.SecretName;
import io.connectha.cluster.SecretResolver;
import io.connectha.error.ConnectError;
import io.connectha.lab.Lab;
import io.connectha.pg.PgConnector;
import io.connectha.pg.Sql;
import io.connectha.process.Progress;
import io.connectha.status.ClusterStatus;
import io.connectha.cluster.Problem;
import io.connectha.status.StatusService;

import java.sql.Connection;
import java.time.Duration;
import java.util.List;

/** Steps the rejoin and split-brain drills share: the status service, a fresh table through HAProxy, and "healthy again?" at the end. */
final class DrillSteps {

    private DrillSteps() {
    }

    static StatusService statusService(io.connectha.cluster.LoadedCluster cluster, SecretResolver secrets) {
        return new StatusService(cluster, secrets, new StatusService.Options(Duration.ofSeconds(1), Duration.ofSeconds(2),
                cluster.spec().patroni().maximumLagOnFailover().bytes()));
    }

    /** The HAProxy write port, as the application user: where the drills' load writes. */
    static PgConnector.Endpoint writePort(ClusterSpec spec) {
        return new PgConnector.Endpoint("HAProxy write port", spec.haproxy().host(), spec.haproxy().writePort(),
                spec.postgresql().database(), spec.postgresql().appUser());
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

    /** What a lab drill starts from: the lab, the status service, and the leader that preflight found. */
    record Start(Lab lab, StatusService status, String oldLeader) {
    }

    /** Refuses a cluster that is not a lab's, then runs preflight. */
    static Start start(LoadedCluster cluster, SecretResolver secrets, Progress progress, String drill) {
        Lab lab = LabNode.requireLab(cluster.file(), progress, drill);
        StatusService status = statusService(cluster, secrets);
        String leader = Preflight.require(status).leader();
        progress.info("Preflight passed: leader " + leader + ", every replica streaming, HAProxy routes writes to it.");
        return new Start(lab, status, leader);
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
