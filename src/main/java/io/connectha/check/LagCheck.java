package io.connectha.check;

import io.connectha.pg.Endpoints;

import io.connectha.cluster.ClusterSpec;
import io.connectha.cluster.LoadedCluster;
import io.connectha.cluster.MemberSpec;
import io.connectha.cluster.SecretName;
import io.connectha.cluster.SecretResolver;
import io.connectha.error.ConnectError;
import io.connectha.pg.NodeState;
import io.connectha.pg.PgConnector;
import io.connectha.pg.ReplicationConnection;
import io.connectha.pg.ReplicationSlot;
import io.connectha.pg.Sql;

import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Replication lag per replica, for cron and monitoring. Bytes behind is the leader's current LSN
 * minus the replica's replay LSN. Time behind must not grow on an idle primary, where the last
 * replayed transaction ages although the replica is current: when no bytes are behind, time behind
 * is zero. Otherwise it is pg_stat_replication's replay_lag, or the age of the last replayed
 * transaction; with {@code heartbeat}, a row is written on the leader and the time until each
 * replica has replayed it is measured.
 */
public final class LagCheck {

    public record Options(Thresholds thresholds, String member, boolean heartbeat, Duration timeout) {
    }

    private final LoadedCluster cluster;
    private final SecretResolver secrets;

    public LagCheck(LoadedCluster cluster, SecretResolver secrets) {
        this.cluster = cluster;
        this.secrets = secrets;
    }

    public LagReport run(Options options) {
        Instant start = Instant.now();
        Instant deadline = start.plus(options.timeout());
        ClusterSpec spec = cluster.spec();
        if (options.member() != null && spec.member(options.member()).isEmpty()) {
            throw ConnectError.invalidInput("no member '" + options.member() + "' in the cluster file");
        }
        Duration perCall = Duration.ofMillis(Math.max(1000, options.timeout().toMillis() / 2));
        PgConnector pg = new PgConnector(perCall, perCall);
        String password = secrets.password(SecretName.superuser);
        Map<String, MemberProbes.Probe> probes = MemberProbes.probeAll(spec, pg, password, deadline);
        List<MemberProbes.Probe> primaries = probes.values().stream().filter(MemberProbes.Probe::primary).toList();
        Map<String, Duration> heartbeat = options.heartbeat() && primaries.size() == 1
                ? heartbeat(spec, pg, password, primaries.get(0), probes, deadline) : Map.of();
        return judge(spec.name(), probes.values(), options, heartbeat, start);
    }

    /** The report from what the members said: pure, so that each verdict is tested with hand-made probes. */
    static LagReport judge(String cluster, java.util.Collection<MemberProbes.Probe> probes, Options options,
                           Map<String, Duration> heartbeat, Instant start) {
        List<MemberProbes.Probe> primaries = probes.stream().filter(MemberProbes.Probe::primary).toList();
        if (primaries.size() > 1) {
            return report(cluster, null, CheckStatus.CRITICAL, LagReport.Outcome.two_writers,
                    primaries.stream().map(p -> p.member().name()).toList(), List.of(), options, List.of(), start);
        }
        if (primaries.isEmpty()) {
            List<String> down = probes.stream().filter(p -> !p.ok()).map(p -> p.member().name() + ": " + p.error()).toList();
            return report(cluster, null, CheckStatus.UNKNOWN, down.isEmpty() ? LagReport.Outcome.no_leader : LagReport.Outcome.leader_unreachable,
                    List.of(), down, options, List.of(), start);
        }
        MemberProbes.Probe leader = primaries.get(0);

        List<ReplicaLag> replicas = new ArrayList<>();
        for (MemberProbes.Probe p : probes) {
            if (p == leader || (options.member() != null && !p.member().name().equals(options.member()))) {
                continue;
            }
            replicas.add(measure(p, leader, options.thresholds(), heartbeat.get(p.member().name())));
        }
        if (options.member() != null && replicas.isEmpty()) {
            return report(cluster, leader.member().name(), CheckStatus.UNKNOWN, LagReport.Outcome.member_is_leader, List.of(), List.of(),
                    options, replicas, start);
        }
        CheckStatus status = replicas.stream().map(ReplicaLag::status).reduce(CheckStatus.OK, CheckStatus::worst);
        return report(cluster, leader.member().name(), status, LagReport.Outcome.measured, List.of(), List.of(), options, replicas, start);
    }

    private static ReplicaLag measure(MemberProbes.Probe p, MemberProbes.Probe leader, Thresholds t, Duration heartbeat) {
        MemberSpec m = p.member();
        if (!p.ok()) {
            return new ReplicaLag(m.name(), m.host(), m.port(), false, null, slotActive(leader, m), null, null, null,
                    CheckStatus.CRITICAL, p.error(), null, null);
        }
        NodeState node = p.node();
        Optional<ReplicationConnection> row = leader.replication().stream().filter(r -> m.name().equals(r.applicationName())).findFirst();
        boolean streaming = row.map(ReplicationConnection::streaming).orElse(false) || node.streaming();
        Boolean slot = slotActive(leader, m);
        long bytes = node.replayLsn() == null || leader.node().currentLsn() == null ? -1
                : Math.max(0, leader.node().currentLsn() - node.replayLsn());
        Duration time;
        String source;
        if (heartbeat != null) {
            time = heartbeat;
            source = "heartbeat";
        } else if (bytes == 0) {
            time = Duration.ZERO;
            source = "no bytes behind";
        } else if (row.isPresent() && row.get().replayLag() != null) {
            time = row.get().replayLag();
            source = "replay_lag";
        } else if (node.lastReplayAt() != null) {
            time = Duration.between(node.lastReplayAt(), Instant.now());
            source = "last replay";
        } else {
            time = null;
            source = null;
        }
        CheckStatus status = CheckStatus.OK;
        if (!streaming || Boolean.FALSE.equals(slot)) {
            status = CheckStatus.CRITICAL;
        }
        CheckStatus bytesLevel = bytes >= 0 ? t.ofBytes(bytes) : null;
        CheckStatus timeLevel = time != null ? t.ofTime(time) : null;
        if (bytesLevel != null) {
            status = status.worst(bytesLevel);
        }
        if (timeLevel != null) {
            status = status.worst(timeLevel);
        }
        return new ReplicaLag(m.name(), m.host(), m.port(), true, streaming, slot, bytes < 0 ? null : bytes, time, source, status,
                null, bytesLevel, timeLevel);
    }

    private static Boolean slotActive(MemberProbes.Probe leader, MemberSpec m) {
        return leader.slots().stream().filter(s -> s.name().equals(m.slotName())).findFirst().map(ReplicationSlot::active).orElse(null);
    }

    /**
     * Writes a heartbeat row on the leader, then waits until each reachable replica has replayed
     * past it: the time that takes is how far behind the replica is, measured, with no clock
     * comparisons. A replica that has not caught up by the deadline is at least that far behind.
     */
    private static Map<String, Duration> heartbeat(ClusterSpec spec, PgConnector pg, String password, MemberProbes.Probe leader,
                                                   Map<String, MemberProbes.Probe> probes, Instant deadline) {
        // connections first, so that connecting is not counted as lag; then every replica polled in one loop
        Map<String, Connection> replicas = new java.util.LinkedHashMap<>();
        Map<String, Duration> times = new java.util.LinkedHashMap<>();
        try {
            for (MemberProbes.Probe p : probes.values()) {
                if (p != leader && p.ok()) {
                    replicas.put(p.member().name(), connect(spec, pg, password, p.member()));
                }
            }
            long lsn;
            Instant written;
            Connection c = connect(spec, pg, password, leader.member());
            try {
                Sql.execute(c, "CREATE TABLE IF NOT EXISTS public.connect_heartbeat (id int PRIMARY KEY, beat timestamptz NOT NULL)");
                Sql.execute(c, "INSERT INTO public.connect_heartbeat VALUES (1, now()) ON CONFLICT (id) DO UPDATE SET beat = excluded.beat");
                written = Instant.now();
                lsn = Sql.one(c, "SELECT (pg_current_wal_lsn() - '0/0')::bigint", rs -> rs.getLong(1));
            } finally {
                Sql.close(c);
            }
            while (times.size() < replicas.size()) {
                for (Map.Entry<String, Connection> e : replicas.entrySet()) {
                    if (times.containsKey(e.getKey())) {
                        continue;
                    }
                    long replay = Sql.one(e.getValue(), "SELECT COALESCE((pg_last_wal_replay_lsn() - '0/0')::bigint, 0)", rs -> rs.getLong(1));
                    if (replay >= lsn || Instant.now().isAfter(deadline.minusMillis(200))) {
                        times.put(e.getKey(), Duration.between(written, Instant.now()));
                    }
                }
            }
        } finally {
            replicas.values().forEach(Sql::close);
        }
        return times;
    }

    private static Connection connect(ClusterSpec spec, PgConnector pg, String password, MemberSpec m) {
        return pg.connect(Endpoints.memberAsSuperuser(spec, m), password);
    }

    private static LagReport report(String cluster, String leader, CheckStatus status, LagReport.Outcome outcome, List<String> writers,
                                    List<String> unreachable, Options options, List<ReplicaLag> replicas, Instant start) {
        return new LagReport(cluster, leader, status, outcome, writers, unreachable, options.member(), options.thresholds(), replicas,
                start, Duration.between(start, Instant.now()));
    }
}
