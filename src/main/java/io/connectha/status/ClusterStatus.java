package io.connectha.status;

import io.connectha.cluster.Problem;

import io.connectha.haproxy.HaproxyServer;
import io.connectha.pgbouncer.PgbouncerPool;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Everything {@code connect ha status} found, as facts: what Patroni says, what PostgreSQL says,
 * and what etcd, HAProxy and PgBouncer say, then the problems that follow. This record is the
 * JSON schema of {@code status -o json}: see docs/status.md before changing it.
 *
 * @param leader the member Patroni names leader; null when there is none (or more than one)
 */
public record ClusterStatus(
        String cluster,
        String scope,
        Instant checkedAt,
        Duration took,
        String leader,
        Integer timeline,
        boolean paused,
        Switchover scheduledSwitchover,
        List<MemberStatus> members,
        List<Slot> slots,
        Etcd etcd,
        Haproxy haproxy,
        Pgbouncer pgbouncer,
        DcsConfig dcsConfig,
        List<Problem> problems) {

    /**
     * Patroni's dynamic configuration as the cluster runs it: what the DCS holds, and Patroni's own
     * defaults for what it does not hold ({@code defaulted} names those). When it could not be read,
     * {@code live} is false, {@code error} says why, and the settings are the cluster file's.
     */
    public record DcsConfig(boolean live, String source, Integer ttl, Integer loopWait, Integer retryTimeout,
                            Long maximumLagOnFailover, Boolean synchronousMode, Boolean usePgRewind, Boolean useSlots,
                            java.util.Map<String, String> parameters, List<String> defaulted, String error) {
    }

    public record Switchover(String at, String from, String to) {
    }

    /** A slot on the leader, and the WAL it keeps there. */
    public record Slot(String name, String type, boolean active, Long retainedBytes, String walStatus) {
    }

    /** etcd: each endpoint, the raft leader, and Patroni's leader key. */
    public record Etcd(List<EtcdEndpoint> endpoints, String raftLeader, int healthy, boolean quorum,
                       String leaderKeyHolder, Duration leaderKeyTtl, String error) {
    }

    public record EtcdEndpoint(String endpoint, boolean reachable, String version, Long dbSizeBytes, boolean raftLeader,
                               String error) {
    }

    /**
     * HAProxy: the servers of the write and read backends, and where a connection to the write port
     * and to the read port actually lands ({@code writeReaches}, {@code readReaches}: member names).
     */
    public record Haproxy(boolean reachable, String address, List<HaproxyServer> write, List<HaproxyServer> read,
                          String writeReaches, String error, String writeReachError, String readReaches, String readReachError,
                          String writeBackend, String readBackend, List<String> backends) {

        public Haproxy(boolean reachable, String address, List<HaproxyServer> write, List<HaproxyServer> read,
                       String writeReaches, String error, String writeReachError, String readReaches, String readReachError) {
            this(reachable, address, write, read, writeReaches, error, writeReachError, readReaches, readReachError, "write", "read", null);
        }

        /** Whether HAProxy has the backend the cluster file names (true when it told no backend list). */
        public boolean has(String backend) {
            return backends == null || backends.isEmpty() || backends.contains(backend);
        }

        public long upInWrite() {
            return write.stream().filter(HaproxyServer::up).count();
        }
    }

    /** PgBouncer: its pools, and the member a pooled connection actually reaches. */
    public record Pgbouncer(boolean reachable, String address, List<PgbouncerPool> pools, String reaches,
                            Boolean reachesLeader, String error, String reachError) {
    }

    public boolean healthy() {
        return problems.isEmpty();
    }

    public boolean anyUnreachable() {
        return problems.stream().anyMatch(p -> p.code().endsWith("_unreachable"));
    }

    public boolean anyAuthenticationFailed() {
        return problems.stream().anyMatch(p -> p.code().endsWith("_auth_failed"));
    }
}
