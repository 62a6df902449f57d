package io.connectha.render;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.connectha.drill.DrillReport;
import io.connectha.drill.DrillSeries;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * report.json of a failover (or switchover) drill: the report flattened into the fields, order and units
 * that scripts and CI have read since the first drill (docs/drills.md). The domain's durations become
 * {@code *_ms} numbers here, and the verdict its criteria in words.
 */
public record FailoverReportJson(
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
        DrillReport.Reads reads,
        DrillReport.Probe probe,
        List<DrillReport.Criterion> criteria,
        int sampleIntervalMs,
        DrillReport.Configuration configuration,
        DrillReport.Versions versions,
        @JsonUnwrapped Held held,
        @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL) Pooler pooler) {

    /**
     * What --pause-pooler adds, as one object at the very end; absent without it. Each field is in docs/drills.md.
     *
     * @param longestClientWaitMs the longest any client went without an acknowledged write ({@code longest_gap_ms})
     */
    public record Pooler(List<String> databases, long pauseTimeoutMs, boolean steerHaproxy, Long pauseMs, Long promotionMs,
                         Long steerMs, Long pathMs, Long resumeMs, Long pausedMs, Long longestClientWaitMs) {

        static Pooler of(DrillReport r) {
            DrillReport.Pooler p = r.pooler();
            if (p == null) {
                return null;
            }
            return new Pooler(p.databases(), p.pauseTimeout().toMillis(), p.steered(), ms(p.pause()), ms(p.promotion()), ms(p.steer()),
                    ms(p.path()), ms(p.resume()), ms(p.paused()), ms(r.timeline().longestGap()));
        }
    }

    /**
     * What a held fault adds, flat at the end of the report; absent for the other faults, so that their reports are what
     * they were. Each field is in docs/drills.md.
     */
    public record Held(Long seed, Long faultForMs, Long restoredAtMs, Long heldMs, int leaderSideClients, Long writeWindowMs,
                       Long windowWrites, Long windowWritesSurvived, Long windowWritesLost, Long windowLostWalBytes,
                       StatusDuringFault statusDuringFault) {

        static Held of(DrillReport.Held h) {
            if (h == null) {
                return null;
            }
            DrillReport.WriteWindow w = h.window();
            DrillReport.StatusDuringFault s = h.statusDuringFault();
            return new Held(h.seed(), ms(h.faultFor()), ms(h.restoredAt()), ms(h.held()), h.leaderSideClients(),
                    w == null ? null : ms(w.length()), w == null ? null : w.writes(), w == null ? null : w.survived(),
                    w == null ? null : w.lost(), w == null ? null : w.lostWalBytes(),
                    s == null ? null : new StatusDuringFault(s.exitCode(), s.at().toMillis(), s.took().toMillis(), s.deadline().toMillis(),
                            s.problems(), s.namesTarget()));
        }
    }

    /** {@code status} asked once during the fault: how it would have exited, when, how long it took against its deadline. */
    public record StatusDuringFault(int exitCode, long atMs, long tookMs, long deadlineMs, List<String> problems, boolean namesTarget) {
    }

    /** With --repeat: every run's report, and the distribution of each figure. */
    public record Series(String cluster, String fault, int repeat, List<FailoverReportJson> runs,
                         Map<String, DrillSeries.Distribution> distribution, boolean passed) {
    }

    public static FailoverReportJson of(DrillReport r) {
        DrillReport.Subject s = r.subject();
        DrillReport.Timeline t = r.timeline();
        DrillReport.Writes w = r.writes();
        DrillReport.Data d = r.data();
        return new FailoverReportJson(s.cluster(), s.fault().option(), s.target(), s.via().name(), s.faultError(), s.oldLeader(),
                s.newLeader(), s.faultAt(), s.clients(), ms(t.detection()), ms(t.newLeaderKey()), ms(t.writable()), ms(t.haproxy()),
                ms(t.etcdLeader()), ms(t.clientRto()), ms(t.longestGap()), w.acknowledged(), w.failed(), w.errorRate(),
                fractionalMs(w.latencyP50()), fractionalMs(w.latencyP95()), fractionalMs(w.latencyMax()), d.rowsPresent(), d.lostWrites(),
                d.rpoBytesEstimate(), d.splitBrainWrites(), ms(t.rejoin()), ms(t.healthy()), w.writesPerSecond(), r.reads(), r.probe(),
                FailoverCriteria.of(r), (int) t.sampleInterval().toMillis(), r.configuration(), r.versions(), Held.of(r.held()),
                Pooler.of(r));
    }

    public static Series of(DrillSeries s) {
        return new Series(s.cluster(), s.fault().option(), s.repeat(), s.runs().stream().map(FailoverReportJson::of).toList(),
                s.distribution(), s.passed());
    }

    static Long ms(Duration d) {
        return d == null ? null : d.toMillis();
    }

    /** Latencies keep their sub-millisecond part: ns / 1e6. */
    static double fractionalMs(Duration d) {
        return d.toNanos() / 1e6;
    }
}
