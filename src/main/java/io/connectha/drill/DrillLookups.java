package io.connectha.drill;

import com.fasterxml.jackson.databind.JsonNode;
import io.connectha.BuildInfo;
import io.connectha.cluster.ClusterSpec;
import io.connectha.cluster.MemberSpec;
import io.connectha.cluster.SecretName;
import io.connectha.cluster.SecretResolver;
import io.connectha.error.ConnectError;
import io.connectha.net.Http;
import io.connectha.patroni.PatroniClient;
import io.connectha.pg.Endpoints;
import io.connectha.pg.PgConnector;
import io.connectha.pg.Sql;
import io.connectha.process.Progress;
import io.connectha.status.ClusterStatus;

import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What the failover report records beside its measurements, each asked of the component that knows it:
 * Patroni's dynamic configuration, the versions that took part, and the new timeline's fork point for the
 * RPO in bytes. A lookup that fails leaves its figure out (null) with a warning; it never fails the drill.
 */
final class DrillLookups {

    private final ClusterSpec spec;
    private final SecretResolver secrets;
    private final PgConnector pg;
    private final Progress progress;

    DrillLookups(ClusterSpec spec, SecretResolver secrets, PgConnector pg, Progress progress) {
        this.spec = spec;
        this.secrets = secrets;
        this.pg = pg;
        this.progress = progress;
    }

    DrillReport.Configuration configuration(FailoverDrill.Options o, MemberSpec leader, Optional<FaultInjector> faults) {
        JsonNode dynamic = null;
        try (Http http = PatroniClient.http(spec, Duration.ofSeconds(1), Duration.ofSeconds(2))) {
            dynamic = new PatroniClient(http).config(leader);
        } catch (ConnectError e) {
            progress.warn("Patroni's dynamic configuration: " + e.getMessage());
        }
        var p = spec.patroni();
        return new DrillReport.Configuration(intOr(dynamic, "ttl", p.ttl()), intOr(dynamic, "loop_wait", p.loopWait()),
                intOr(dynamic, "retry_timeout", p.retryTimeout()),
                dynamic != null && dynamic.has("synchronous_mode") ? dynamic.get("synchronous_mode").asBoolean() : p.synchronousMode(),
                dynamic != null && dynamic.has("maximum_lag_on_failover") ? dynamic.get("maximum_lag_on_failover").asLong()
                        : p.maximumLagOnFailover().bytes(),
                o.clients(), o.readers(), o.warmup().toMillis(), o.loadAfterFault().toMillis(), o.maxRto().toMillis(), o.maxLostWrites(),
                o.maxErrorRate(), o.maxP95().toMillis(), o.maxRejoin().toMillis(),
                faults.map(FaultInjector::describe).orElse("Patroni's REST API"),
                // Patroni's default when the DCS configuration does not set it: off
                dynamic == null ? null : Boolean.valueOf(dynamic.path("failsafe_mode").asBoolean(false)));
    }

    private static Integer intOr(JsonNode dynamic, String field, Integer fallback) {
        return dynamic != null && dynamic.has(field) ? Integer.valueOf(dynamic.get(field).asInt()) : fallback;
    }

    DrillReport.Versions versions(MemberSpec leader, ClusterStatus before) {
        String postgres = null;
        try {
            Connection c = pg.connect(Endpoints.memberAsSuperuser(spec, leader), secrets.password(SecretName.superuser));
            try {
                postgres = Sql.one(c, "SHOW server_version", rs -> rs.getString(1));
            } finally {
                Sql.close(c);
            }
        } catch (ConnectError e) {
            progress.warn("PostgreSQL's version: " + e.getMessage());
        }
        String patroni = null;
        try (Http http = PatroniClient.http(spec, Duration.ofSeconds(1), Duration.ofSeconds(2))) {
            patroni = new PatroniClient(http).patroni(leader).path("patroni").path("version").asText(null);
        } catch (ConnectError e) {
            progress.warn("Patroni's version: " + e.getMessage());
        }
        String etcd = before.etcd() == null ? null : before.etcd().endpoints().stream().map(ClusterStatus.EtcdEndpoint::version)
                .filter(v -> v != null).findFirst().orElse(null);
        return new DrillReport.Versions(BuildInfo.version(), postgres, patroni, etcd);
    }

    /**
     * RPO in bytes: how far past the new timeline's fork point the old leader had inserted WAL for the last write
     * that was lost (its commit record not counted, so a lower bound). The fork point is the last switch in
     * Patroni's history on the new leader. 0 when nothing was lost; null when it cannot be known.
     */
    Long rpoBytes(List<WriteLoad.Ack> lost, MemberSpec newLeader) {
        if (lost.isEmpty()) {
            return 0L;
        }
        OptionalLong lastLost = lost.stream().mapToLong(WriteLoad.Ack::lsn).max();
        if (newLeader == null) {
            return null;
        }
        try (Http http = PatroniClient.http(spec, Duration.ofSeconds(1), Duration.ofSeconds(2))) {
            JsonNode history = new PatroniClient(http).history(newLeader);
            if (!history.isArray() || history.isEmpty()) {
                return null;
            }
            long fork = history.get(history.size() - 1).get(1).asLong();
            return Math.max(0, lastLost.getAsLong() - fork);
        } catch (ConnectError e) {
            progress.warn("RPO in bytes: " + e.getMessage());
            return null;
        }
    }

    /** etcd's raft leader, which etcd-leader-kill hits; no drill without one. */
    static String etcdRaftLeader(ClusterStatus before) {
        if (before.etcd() == null || before.etcd().raftLeader() == null) {
            throw new ConnectError(ConnectError.Kind.FAILURE, "preflight failed, no drill: etcd names no raft leader");
        }
        return before.etcd().raftLeader();
    }
}
