package io.connectha.drill;

import java.time.Instant;
import java.util.List;

/**
 * Everything a rejoin drill measured: the old leader lost, a new one taking over, then the old one
 * started again, rewound and streaming. This record is report.json; see docs/drills.md.
 *
 * @param newLeaderMs       from the fault: Patroni names another leader and its PostgreSQL is out of recovery
 * @param restartedMs       from the fault: the old node's Patroni was started again
 * @param patroniRunningMs  from that start: the old member's Patroni says "running" (possibly still on the old timeline)
 * @param newTimelineMs     from that start: its PostgreSQL is in recovery on the new leader's timeline
 * @param streamingMs       from that start: the new leader's pg_stat_replication shows it streaming
 * @param caughtUpMs        from that start: its replay LSN reached the leader's LSN of the moment it began to stream
 * @param oldTimeline       the timeline before the fault
 * @param newTimeline       the new leader's timeline
 * @param rejoinedTimeline  the rejoined member's timeline as last seen
 * @param lostWrites        acknowledged writes missing on the new leader: what the old leader took and the rewind discarded
 * @param leaderTable       the drill table on the leader, once the rejoined member replayed everything
 * @param rejoinedTable     the same table on the rejoined member, at the same LSN
 */
public record RejoinReport(
        String cluster,
        String oldLeader,
        String newLeader,
        Instant faultAt,
        int clients,
        Long newLeaderMs,
        Long restartedMs,
        Long patroniRunningMs,
        Long newTimelineMs,
        Long streamingMs,
        Long caughtUpMs,
        Integer oldTimeline,
        Integer newTimeline,
        Integer rejoinedTimeline,
        RewindEvidence rewind,
        long acknowledged,
        long failed,
        long lostWrites,
        TableDigest leaderTable,
        TableDigest rejoinedTable,
        boolean dataIdentical,
        boolean healthyAtEnd,
        List<String> problemsAtEnd,
        List<DrillReport.Criterion> criteria,
        int sampleIntervalMs) {

    /** The drill table summed up: rows, sum and max of seq, and an md5 of every seq in order. */
    public record TableDigest(long rows, long sumSeq, long maxSeq, String md5) {
    }

    public boolean passed() {
        return criteria.stream().allMatch(DrillReport.Criterion::passed);
    }
}
