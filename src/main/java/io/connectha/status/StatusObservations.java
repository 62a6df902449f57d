package io.connectha.status;

import io.connectha.haproxy.HaproxyServer;
import io.connectha.patroni.DcsConfig;
import io.connectha.patroni.PatroniCluster;
import io.connectha.pg.NodeState;
import io.connectha.pg.ReplicationConnection;
import io.connectha.pg.ReplicationSlot;
import io.connectha.pgbouncer.PgbouncerPool;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * What one check gathered, before any judgment: what each member and component said, or why it did
 * not answer. {@link StatusService} fills it from the network; {@link StatusJudgment} turns it into
 * a {@link ClusterStatus}; tests build it by hand.
 *
 * @param checkedAt   when the check started
 * @param took        how long gathering took
 * @param maxLagBytes a replica further behind than this is a problem; null: Patroni's maximum_lag_on_failover
 *                    as the cluster runs it (the file's when the live configuration cannot be read)
 * @param members     in the order of the cluster file
 * @param dcsConfig   Patroni's dynamic configuration as the DCS holds it
 * @param file        what the cluster file says of the same settings
 */
record StatusObservations(String cluster, String scope, Instant checkedAt, Duration took, Long maxLagBytes,
                          List<Member> members, Etcd etcd, Haproxy haproxy, Pgbouncer pgbouncer,
                          Outcome<DcsConfig> dcsConfig, FileConfig file) {

    /** Observations without the live configuration, as tests of other judgments build them: the file's values count. */
    StatusObservations(String cluster, String scope, Instant checkedAt, Duration took, long maxLagBytes,
                       List<Member> members, Etcd etcd, Haproxy haproxy, Pgbouncer pgbouncer) {
        this(cluster, scope, checkedAt, took, maxLagBytes, members, etcd, haproxy, pgbouncer, Outcome.notAsked(),
                new FileConfig(DcsConfig.PATRONI_DEFAULTS, new DcsConfig(null, null, null, null, null, null, null, null)));
    }

    /**
     * The cluster file's word on Patroni's dynamic settings.
     *
     * @param values every setting, defaults filled in: what counts when the live configuration cannot be read
     * @param set    only the settings the file sets itself (the rest null): what can drift from the live ones
     */
    record FileConfig(DcsConfig values, DcsConfig set) {
    }

    /** One member of the cluster file: its own Patroni's {@code /cluster}, and its PostgreSQL. */
    record Member(String name, String host, int port, Outcome<PatroniCluster> patroni, Outcome<Postgres> postgres) {
    }

    /** A member's PostgreSQL as it describes itself; replication and slots only when it is a primary. */
    record Postgres(NodeState node, List<ReplicationConnection> replication, List<ReplicationSlot> slots) {
    }

    /**
     * etcd: each endpoint of the cluster file and its answer.
     *
     * @param clusterSize     the number of etcd members in the cluster file: a quorum is more than half of it
     * @param raftLeader      the raft leader's name (its id when the member list did not answer), or null
     * @param leaderKeyHolder the value of Patroni's leader key, or null when there is none or it could not be read
     */
    record Etcd(int clusterSize, List<ClusterStatus.EtcdEndpoint> endpoints, String raftLeader, String leaderKeyHolder,
                Duration leaderKeyTtl) {
    }

    /**
     * HAProxy: its statistics (every server of every backend, each with the member at its address),
     * and the member a connection through the write port and through the read port lands on.
     *
     * @param writeBackend the write backend's name in the cluster file
     * @param readBackend  the read backend's name in the cluster file
     * @param backends     every backend HAProxy has; null when it did not answer
     */
    record Haproxy(String address, Outcome<List<HaproxyServer>> servers, Outcome<String> writeReaches,
                   Outcome<String> readReaches, String writeBackend, String readBackend, List<String> backends) {

        Haproxy(String address, Outcome<List<HaproxyServer>> servers, Outcome<String> writeReaches, Outcome<String> readReaches) {
            this(address, servers, writeReaches, readReaches, "write", "read", null);
        }
    }

    /** PgBouncer: its admin console's pools, and the member a pooled connection lands on. */
    record Pgbouncer(String address, Outcome<List<PgbouncerPool>> pools, Outcome<String> reaches) {
    }
}
