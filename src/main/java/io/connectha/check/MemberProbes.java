package io.connectha.check;

import io.connectha.pg.Endpoints;

import io.connectha.cluster.ClusterSpec;
import io.connectha.cluster.MemberSpec;
import io.connectha.pg.NodeState;
import io.connectha.pg.PgConnector;
import io.connectha.pg.ReplicationConnection;
import io.connectha.pg.ReplicationQueries;
import io.connectha.pg.ReplicationSlot;
import io.connectha.pg.Sql;

import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Asks every member's PostgreSQL at once what it is, under one deadline: the checks need no
 * Patroni, only the cluster file's members and pg_is_in_recovery().
 */
final class MemberProbes {

    /** A member's answer, or why there is none. On a primary, its replication rows and slots too. */
    record Probe(MemberSpec member, NodeState node, List<ReplicationConnection> replication, List<ReplicationSlot> slots, String error) {
        boolean ok() {
            return error == null;
        }

        boolean primary() {
            return ok() && !node.inRecovery();
        }
    }

    private MemberProbes() {
    }

    static Map<String, Probe> probeAll(ClusterSpec spec, PgConnector pg, String password, Instant deadline) {
        ExecutorService pool = Executors.newFixedThreadPool(spec.members().size(), r -> {
            Thread t = new Thread(r, "probe");
            t.setDaemon(true);
            return t;
        });
        try {
            Map<String, Future<Probe>> futures = new LinkedHashMap<>();
            for (MemberSpec m : spec.members()) {
                futures.put(m.name(), pool.submit(() -> probe(spec, pg, password, m)));
            }
            Map<String, Probe> probes = new LinkedHashMap<>();
            for (MemberSpec m : spec.members()) {
                long left = Math.max(0, Duration.between(Instant.now(), deadline).toMillis());
                try {
                    probes.put(m.name(), futures.get(m.name()).get(left, TimeUnit.MILLISECONDS));
                } catch (java.util.concurrent.TimeoutException e) {
                    probes.put(m.name(), new Probe(m, null, List.of(), List.of(), "no answer before the check's deadline"));
                } catch (Exception e) {
                    Throwable cause = e.getCause() == null ? e : e.getCause();
                    String message = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
                    probes.put(m.name(), new Probe(m, null, List.of(), List.of(), message.lines().findFirst().orElse(message)));
                }
            }
            return probes;
        } finally {
            pool.shutdownNow();
        }
    }

    private static Probe probe(ClusterSpec spec, PgConnector pg, String password, MemberSpec m) {
        Connection c = pg.connect(Endpoints.memberAsSuperuser(spec, m), password);
        try {
            NodeState node = ReplicationQueries.nodeState(c);
            if (node.inRecovery()) {
                return new Probe(m, node, List.of(), List.of(), null);
            }
            return new Probe(m, node, ReplicationQueries.replication(c), ReplicationQueries.slots(c), null);
        } finally {
            Sql.close(c);
        }
    }
}
