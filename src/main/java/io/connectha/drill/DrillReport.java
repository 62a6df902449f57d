package io.connectha.drill;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * Everything one failover drill measured, and its verdict. Durations are from the fault; null when not
 * observed before the drill's deadline. report.json is this record's flat view in render (see
 * docs/drills.md), whose field names scripts rely on.
 */
public record DrillReport(Subject subject, Timeline timeline, Writes writes, Data data, Reads reads, Probe probe,
                          FailoverVerdict verdict, Configuration configuration, Versions versions) {

    /**
     * What was drilled.
     *
     * @param target     what the fault hit: the leader, or etcd's raft leader for etcd-leader-kill
     * @param faultError why the fault could not be applied; null when it was
     * @param newLeader  the leader confirmed after the fault (the same one when it restarted in place)
     */
    public record Subject(String cluster, FaultKind fault, String target, FailoverDrill.Via via, String faultError, String oldLeader,
                          String newLeader, Instant faultAt, int clients) {

        public boolean leaderChanged() {
            return newLeader != null && !newLeader.equals(oldLeader);
        }
    }

    /**
     * When each phase was first seen, from the fault.
     *
     * @param detection      the leader key expired or changed in etcd
     * @param newLeaderKey   another member holds the leader key
     * @param writable       Patroni names the leader and its PostgreSQL is out of recovery
     * @param haproxy        a connection through HAProxy's write port reaches that leader
     * @param etcdLeader     another etcd member is raft leader (etcd-leader-kill only)
     * @param clientRto      the first acknowledged write on the new leader, sent after the clients' outage began
     * @param longestGap     the longest time any one client went without an acknowledged write
     * @param rejoin         the old leader streaming from the new leader again
     * @param healthy        the whole cluster healthy again (what preflight requires)
     * @param sampleInterval how often the phases were sampled
     */
    public record Timeline(Duration detection, Duration newLeaderKey, Duration writable, Duration haproxy, Duration etcdLeader,
                           Duration clientRto, Duration longestGap, Duration rejoin, Duration healthy, Duration sampleInterval) {
    }

    /** The writing clients: acknowledged and failed writes, latency of the acknowledged ones, throughput over the whole load. */
    public record Writes(long acknowledged, long failed, double errorRate, Duration latencyP50, Duration latencyP95, Duration latencyMax,
                         double writesPerSecond) {
    }

    /**
     * What the leader holds afterwards.
     *
     * @param lostWrites       acknowledged writes missing on the leader afterwards (RPO in rows)
     * @param rpoBytesEstimate RPO in bytes, a lower bound: WAL the old leader had inserted for its last lost acknowledged
     *                         write beyond the point where the new leader's timeline forked (Patroni's history), commit
     *                         record not counted; 0 when nothing was lost
     * @param splitBrainWrites writes the old leader acknowledged after the new leader acknowledged its first
     */
    public record Data(long rowsPresent, long lostWrites, Long rpoBytesEstimate, long splitBrainWrites) {
    }

    /** One pass/fail line as people and CI read it: what was required and what was measured. */
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
        return verdict.passed();
    }

}
