package io.connectha.drill;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Everything a failover drill measured. Times are from the fault, in milliseconds; null when not
 * observed before the drill's deadline. This record is report.json; see docs/drills.md.
 *
 * @param detectionMs       the leader key expired or changed in etcd
 * @param newLeaderKeyMs    another member holds the leader key
 * @param writableMs        Patroni names the new leader and its PostgreSQL is out of recovery
 * @param haproxyMs         a connection through HAProxy's write port reaches the new leader
 * @param clientRtoMs       the first acknowledged write on the new leader
 * @param longestGapMs      the longest time any one client went without an acknowledged write
 * @param lostWrites        acknowledged writes missing on the new leader (RPO in rows)
 * @param rpoBytesEstimate  RPO in bytes: not measured yet (null); RPO in rows is {@code lostWrites}
 * @param splitBrainWrites  writes the old leader acknowledged after the new leader acknowledged its first
 * @param rejoinMs          the old leader streaming from the new leader again
 */
public record DrillReport(
        String cluster,
        String fault,
        String oldLeader,
        String newLeader,
        Instant faultAt,
        int clients,
        Duration loadAfterFault,
        Long detectionMs,
        Long newLeaderKeyMs,
        Long writableMs,
        Long haproxyMs,
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
        double writesPerSecond,
        List<Criterion> criteria,
        int sampleIntervalMs) {

    /** One pass/fail line: what was required and what was measured. */
    public record Criterion(String name, boolean passed, String required, String measured) {
    }

    public boolean passed() {
        return criteria.stream().allMatch(Criterion::passed);
    }
}
