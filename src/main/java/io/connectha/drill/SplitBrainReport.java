package io.connectha.drill;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Everything a split-brain drill measured. Times are in ms from the fault unless said otherwise; the
 * old leader's stages are from the start of its Patroni. This record is report.json; see docs/drills.md.
 *
 * @param writeWindows          per member, when it accepted writes sent straight to it
 * @param leaderKeyHolders      who held the leader key, over time (member null: nobody)
 * @param haproxyRoutes         where a connection to HAProxy's write port landed, over time (member null: nowhere)
 * @param doubleWrites          samples at which two members accepted writes
 * @param haproxyViolations     samples at which HAProxy reached a member not holding the key (with the slack)
 * @param oldLeaderWritesAfterRestart writes the old leader accepted after its Patroni was started again
 * @param acknowledged          probe writes acknowledged, straight or through HAProxy, per member that acknowledged them
 * @param lostWrites            of those, missing on the leader at the end (per member that acknowledged them)
 */
public record SplitBrainReport(
        String cluster,
        String oldLeader,
        String newLeader,
        Instant faultAt,
        Long newLeaderMs,
        Long restartedMs,
        Long streamingMs,
        Long caughtUpMs,
        int samples,
        int sampleIntervalMs,
        int haproxySlackSamples,
        Map<String, List<SplitBrainAnalysis.Window>> writeWindows,
        List<SplitBrainAnalysis.Span> leaderKeyHolders,
        List<SplitBrainAnalysis.Span> haproxyRoutes,
        List<SplitBrainAnalysis.DoubleWrite> doubleWrites,
        List<SplitBrainAnalysis.RouteViolation> haproxyViolations,
        long oldLeaderWritesAfterRestart,
        Map<String, Long> acknowledged,
        Map<String, Long> lostWrites,
        boolean healthyAtEnd,
        List<String> problemsAtEnd,
        List<DrillReport.Criterion> criteria) {

    public boolean passed() {
        return criteria.stream().allMatch(DrillReport.Criterion::passed);
    }
}
