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
                          FailoverVerdict verdict, Configuration configuration, Versions versions, Held held, Pooler pooler) {

    public DrillReport(Subject subject, Timeline timeline, Writes writes, Data data, Reads reads, Probe probe, FailoverVerdict verdict,
                       Configuration configuration, Versions versions, Held held) {
        this(subject, timeline, writes, data, reads, probe, verdict, configuration, versions, held, null);
    }

    public DrillReport(Subject subject, Timeline timeline, Writes writes, Data data, Reads reads, Probe probe, FailoverVerdict verdict,
                       Configuration configuration, Versions versions) {
        this(subject, timeline, writes, data, reads, probe, verdict, configuration, versions, null);
    }

    /**
     * What {@code drill switchover --pause-pooler} adds: PgBouncer held the clients while the leader moved. Each phase as
     * {@code switchover --pause-pooler} reports it; null when it did not happen (the switchover failed before it).
     *
     * @param pauseTimeout --pause-timeout
     * @param steered      HAProxy was steered (--steer-haproxy, or by default when PgBouncer goes through HAProxy)
     * @param pause        PAUSE sent to answered (running transactions finished)
     * @param promotion    the switchover request to the new leader confirmed by Patroni and PostgreSQL
     * @param steer        HAProxy's write backend forced (--steer-haproxy)
     * @param path         the new leader confirmed to PgBouncer's path reaching it
     * @param resume       RESUME sent to answered
     * @param paused       the first PAUSE sent to the RESUME's answer: how long clients were held
     */
    public record Pooler(java.util.List<String> databases, Duration pauseTimeout, boolean steered, Duration pause, Duration promotion,
                         Duration steer, Duration path, Duration resume, Duration paused) {
    }

    /**
     * What a held fault (a partition, a freeze, an etcd outage) adds; null for the others.
     *
     * @param seed              partition-halves' seed, which chose the halves; null for other faults
     * @param faultFor          --fault-for; null when it was held until the leader settled
     * @param restoredAt        from the fault to the restore's return; null when it was not restored
     * @param held              from the fault's action returning to the restore's start
     * @param leaderSideClients writers connected straight to the old leader (0 when the fault has no write window)
     * @param window            the old leader's write window; null when the fault has none
     * @param statusDuringFault what {@code status} said while the fault was held; null when it was not asked
     */
    public record Held(Long seed, Duration faultFor, Duration restoredAt, Duration held, int leaderSideClients, WriteWindow window,
                       StatusDuringFault statusDuringFault) {
    }

    /**
     * The old leader's write window.
     *
     * @param length       from the fault to the last write the old leader acknowledged to any client; null when none after it
     * @param writes       writes the old leader acknowledged to its own-side clients after the new leader's first acknowledged
     *                     write (after the fault when the leader did not change, until the restore)
     * @param survived     of those, present in the table afterwards
     * @param lost         of those, missing afterwards
     * @param lostWalBytes WAL on the old leader from the first lost window write's LSN to the last one's (a lower bound)
     * @param synchronous  Patroni's synchronous_mode, which decides whether a lost window write is a violation
     */
    public record WriteWindow(Duration length, long writes, long survived, long lost, long lostWalBytes, Boolean synchronous) {
    }

    /**
     * {@code status}, asked once while the fault was held, from the operator's side, with status's own deadline.
     *
     * @param exitCode    what {@code connect ha status} would have exited with (0 healthy, 4 degraded, 5 unreachable,
     *                    6 credentials refused; 1 when it failed)
     * @param at          when it was asked, from the fault
     * @param problems    its problems' codes, in its order
     * @param namesTarget a problem names the fault's target (the member, one of the members, or an etcd member)
     */
    public record StatusDuringFault(int exitCode, Duration at, Duration took, Duration deadline, java.util.List<String> problems,
                                    boolean namesTarget) {
    }

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
                                String faultsBy,
                                // absent when unknown, as in reports from before it was recorded
                                @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
                                Boolean failsafeMode) {

        public Configuration(Integer ttlSeconds, Integer loopWaitSeconds, Integer retryTimeoutSeconds, Boolean synchronousMode,
                             Long maximumLagOnFailoverBytes, int clients, int readers, long warmupMs, long loadAfterFaultMs, long maxRtoMs,
                             long maxLostWrites, double maxErrorRate, long maxP95Ms, long maxRejoinMs, String faultsBy) {
            this(ttlSeconds, loopWaitSeconds, retryTimeoutSeconds, synchronousMode, maximumLagOnFailoverBytes, clients, readers, warmupMs,
                    loadAfterFaultMs, maxRtoMs, maxLostWrites, maxErrorRate, maxP95Ms, maxRejoinMs, faultsBy, null);
        }
    }

    /** The versions of what took part. */
    public record Versions(String connect, String postgresql, String patroni, String etcd) {
    }

    public boolean passed() {
        return verdict.passed();
    }

}
