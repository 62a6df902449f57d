package io.connectha.drill;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Everything one failover drill measured. Times are from the fault, in milliseconds; null when not
 * observed before the drill's deadline. This record is report.json; see docs/drills.md.
 *
 * @param target            what the fault hit: the leader, or etcd's raft leader for etcd-leader-kill
 * @param via               the write path: haproxy or pgbouncer
 * @param detectionMs       the leader key expired or changed in etcd
 * @param newLeaderKeyMs    another member holds the leader key
 * @param writableMs        Patroni names the leader and its PostgreSQL is out of recovery
 * @param haproxyMs         a connection through HAProxy's write port reaches that leader
 * @param etcdLeaderMs      another etcd member is raft leader (etcd-leader-kill only)
 * @param clientRtoMs       the first acknowledged write on the new leader, sent after the clients' outage began
 * @param longestGapMs      the longest time any one client went without an acknowledged write
 * @param lostWrites        acknowledged writes missing on the leader afterwards (RPO in rows)
 * @param rpoBytesEstimate  RPO in bytes, a lower bound: WAL the old leader had inserted for its last lost acknowledged
 *                          write beyond the point where the new leader's timeline forked (Patroni's history), commit
 *                          record not counted; 0 when nothing was lost
 * @param splitBrainWrites  writes the old leader acknowledged after the new leader acknowledged its first
 * @param rejoinMs          the old leader streaming from the new leader again
 * @param healthyMs         the whole cluster healthy again (what preflight requires)
 */
public record DrillReport(
        String cluster,
        String fault,
        String target,
        String via,
        String faultError,
        String oldLeader,
        String newLeader,
        Instant faultAt,
        int clients,
        Long detectionMs,
        Long newLeaderKeyMs,
        Long writableMs,
        Long haproxyMs,
        Long etcdLeaderMs,
        Long clientRtoMs,
        Long longestGapMs,
        long acknowledged,
        long failed,
        double errorRate,
        double latencyP50Ms,
        double latencyP95Ms,
        double latencyMaxMs,
        long rowsPresent,
        long lostWrites,
        Long rpoBytesEstimate,
        long splitBrainWrites,
        Long rejoinMs,
        Long healthyMs,
        double writesPerSecond,
        Reads reads,
        Probe probe,
        List<Criterion> criteria,
        int sampleIntervalMs,
        Configuration configuration,
        Versions versions) {

    /** One pass/fail line: what was required and what was measured. */
    public record Criterion(String name, boolean passed, String required, String measured) {
    }

    /** The readers on HAProxy's read port: reads answered, failed, their p95, the longest gap, and who answered. */
    public record Reads(int readers, long ok, long failed, double errorRate, double latencyP95Ms, long longestGapMs,
                        Map<String, Long> byMember) {
    }

    /** The HTTP probe: probes sent, failed, and the longest run of failures. */
    public record Probe(String url, long intervalMs, long probes, long failed, long longestOutageMs, String lastError) {
    }

    /** What the drill ran with: Patroni's timings as its dynamic configuration had them, the load and the thresholds. */
    public record Configuration(Integer ttlSeconds, Integer loopWaitSeconds, Integer retryTimeoutSeconds, Boolean synchronousMode,
                                Long maximumLagOnFailoverBytes, int clients, int readers, long warmupMs, long loadAfterFaultMs,
                                long maxRtoMs, long maxLostWrites, double maxErrorRate, long maxP95Ms, long maxRejoinMs,
                                String faultsBy) {
    }

    /** The versions of what took part. */
    public record Versions(String connect, String postgresql, String patroni, String etcd) {
    }

    public boolean passed() {
        return criteria.stream().allMatch(Criterion::passed);
    }
}
