package io.connectha.render;

import io.connectha.drill.DrillReport;
import io.connectha.drill.FailoverVerdict;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * The failover drill's verdict in words: each check's name, what was required and what was measured, as
 * the summary, report.json and junit.xml show them. The verdict holds numbers; the units are written here.
 */
final class FailoverCriteria {

    private FailoverCriteria() {
    }

    static List<DrillReport.Criterion> of(DrillReport r) {
        return r.verdict().checks().stream().map(c -> criterion(r, c)).toList();
    }

    private static DrillReport.Criterion criterion(DrillReport r, FailoverVerdict.Check check) {
        DrillReport.Subject s = r.subject();
        FailoverVerdict.Thresholds t = r.verdict().thresholds();
        DrillReport.Timeline time = r.timeline();
        boolean passed = check.passed();
        return switch (check.criterion()) {
            case FAULT_APPLIED -> new DrillReport.Criterion("fault applied", passed, s.fault().option() + " on " + s.target(),
                    s.faultError() == null ? "applied" : s.faultError());
            case LEADER_ACCEPTS_WRITES -> new DrillReport.Criterion("a leader accepts writes again", passed,
                    s.fault().leaderMayStay() ? "a leader confirmed (the same one may stay)" : "another member confirmed as leader",
                    s.newLeader() == null ? "none within the deadline" : s.newLeader() + (s.leaderChanged() ? "" : " (the same leader)"));
            case ETCD_LEADER_ELECTED -> new DrillReport.Criterion("etcd elects a new raft leader", passed, atMost(t.maxRto()),
                    measured(time.etcdLeader()));
            case CLIENT_RTO -> new DrillReport.Criterion("client RTO", passed, atMost(t.maxRto()),
                    time.clientRto() == null ? "no write on the leader after the fault" : time.clientRto().toMillis() + " ms");
            case LOST_WRITES -> new DrillReport.Criterion("acknowledged writes lost", passed, "<= " + t.maxLostWrites(),
                    r.data().lostWrites() + " of " + r.writes().acknowledged() + (r.data().lostWrites() > 0 && r.data().rpoBytesEstimate() != null
                            ? " (>= " + r.data().rpoBytesEstimate() + " bytes of WAL)" : ""));
            case NO_SPLIT_BRAIN -> new DrillReport.Criterion("no split brain", passed, "0 writes on the old leader after the new one's first",
                    Long.toString(r.data().splitBrainWrites()));
            case ERROR_RATE -> new DrillReport.Criterion("error rate", passed, "<= " + pct(t.maxErrorRate()), pct(r.writes().errorRate()));
            case P95_LATENCY -> new DrillReport.Criterion("p95 latency", passed, atMost(t.maxP95()),
                    String.format(Locale.ROOT, "%.1f ms", FailoverReportJson.fractionalMs(r.writes().latencyP95())));
            case OLD_LEADER_REJOINS -> new DrillReport.Criterion("old leader rejoins as a streaming replica", passed,
                    "within " + t.maxRejoin().toMillis() + " ms", measured(time.rejoin()));
            case HEALTHY_AGAIN -> new DrillReport.Criterion("cluster healthy again", passed, "within " + t.maxRejoin().toMillis() + " ms",
                    measured(time.healthy()));
            case LEADER_STAYS -> new DrillReport.Criterion("the leader stays", passed, s.oldLeader() + " still the leader (the fault misses it)",
                    s.newLeader() == null ? "none within the deadline" : s.newLeader());
            case WRITE_WINDOW_LOST -> {
                DrillReport.WriteWindow w = r.held().window();
                boolean sync = Boolean.TRUE.equals(w.synchronous());
                yield new DrillReport.Criterion("old leader's window writes lost", passed, sync ? "0 (synchronous_mode: its commits must block)"
                        : t.windowLossBounded() ? "<= " + t.maxLostWrites() + " (--max-lost-writes; asynchronous)"
                        : "reported only (asynchronous; --max-lost-writes bounds it)",
                        w.lost() + " of " + w.writes() + (w.lost() > 0 ? " (>= " + w.lostWalBytes() + " bytes of WAL)" : ""));
            }
            case POOLER_NO_FAILED_WRITES -> new DrillReport.Criterion("no failed write while PgBouncer held the clients", passed, "0",
                    Long.toString(r.writes().failed()));
            case POOLER_CLIENT_WAIT -> new DrillReport.Criterion("longest client wait", passed, r.pooler() == null || r.pooler().promotion() == null
                    ? "the promotion + " + FailoverVerdict.CLIENT_WAIT_MARGIN.toMillis() + " ms (promotion not confirmed)"
                    : "<= " + r.pooler().promotion().plus(FailoverVerdict.CLIENT_WAIT_MARGIN).toMillis() + " ms (the promotion, "
                    + r.pooler().promotion().toMillis() + " ms, + " + FailoverVerdict.CLIENT_WAIT_MARGIN.toMillis() + " ms)",
                    measured(time.longestGap()));
            case PROBE_ERROR_RATE -> {
                FailoverVerdict.Probes probes = new FailoverVerdict.Probes(r.probe().probes(), r.probe().failed());
                yield new DrillReport.Criterion("HTTP probe error rate", passed, "<= " + pct(t.maxErrorRate()),
                        pct(probes.errorRate()) + " of " + probes.sent());
            }
        };
    }

    private static String atMost(Duration d) {
        return "<= " + d.toMillis() + " ms";
    }

    private static String measured(Duration d) {
        return d == null ? "not within the deadline" : d.toMillis() + " ms";
    }

    private static String pct(double ratio) {
        return String.format(Locale.ROOT, "%.2f%%", ratio * 100);
    }
}
