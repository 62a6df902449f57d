package io.connectha.render;

import io.connectha.drill.DrillReport;
import io.connectha.drill.RejoinReport;
import io.connectha.drill.RewindEvidence;
import io.connectha.drill.SplitBrainAnalysis;
import io.connectha.drill.SplitBrainReport;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The rejoin and split-brain drills' reports for people, and as JUnit XML (through {@link DrillView#junit}). */
public final class RecoveryDrillView {

    private RecoveryDrillView() {
    }

    public static void rejoin(PrintWriter out, RejoinReport r) {
        out.println("Drill rejoin on " + r.cluster() + ": " + (r.passed() ? "PASSED" : "FAILED") + " (" + r.oldLeader() + " lost -> "
                + (r.newLeader() == null ? "no new leader" : r.newLeader() + " leads") + "; " + r.oldLeader() + " back as a replica)");
        out.println();
        out.println("From the fault:");
        Table fault = new Table("PHASE", "AT");
        fault.row("new leader confirmed, accepting writes", ms(r.newLeaderMs()));
        fault.row(r.oldLeader() + "'s Patroni started again", ms(r.restartedMs()));
        fault.print(out);
        out.println();
        out.println("From that start (sampled every " + r.sampleIntervalMs() + " ms):");
        Table back = new Table("STAGE", "AT");
        back.row("Patroni says running", ms(r.patroniRunningMs()));
        back.row("in recovery on the new timeline" + (r.newTimeline() == null ? "" : " (" + r.newTimeline() + ")"), ms(r.newTimelineMs()));
        back.row("streaming from " + (r.newLeader() == null ? "the leader" : r.newLeader()) + " (pg_stat_replication)", ms(r.streamingMs()));
        back.row("replay caught up", ms(r.caughtUpMs()));
        back.print(out);
        out.println();
        out.println("Rewind: " + rewind(r.rewind()) + "; timeline " + orUnknown(r.oldTimeline()) + " before, "
                + orUnknown(r.newTimeline()) + " on the new leader, " + orUnknown(r.rejoinedTimeline()) + " on " + r.oldLeader() + ".");
        out.printf(Locale.ROOT, "Load: %d clients, %d acknowledged, %d failed; acknowledged writes missing on the new leader %d"
                + " (taken by the old leader, discarded by the rewind)%n", r.clients(), r.acknowledged(), r.failed(), r.lostWrites());
        out.println("Data: leader " + digest(r.leaderTable()) + "; " + r.oldLeader() + " " + digest(r.rejoinedTable()));
        out.println();
        criteria(out, r.criteria());
    }

    public static String rejoinJunit(RejoinReport r) {
        return DrillView.junit("connect drill rejoin " + r.cluster(), "rejoin", r.faultAt(), r.criteria());
    }

    public static void splitBrain(PrintWriter out, SplitBrainReport r) {
        out.println("Drill split-brain on " + r.cluster() + ": " + (r.passed() ? "PASSED" : "FAILED") + " (" + r.oldLeader() + " lost -> "
                + (r.newLeader() == null ? "no new leader" : r.newLeader() + " leads") + "; " + r.oldLeader() + " started again while it held the key)");
        out.println();
        out.println("From the fault: new leader accepting writes at " + ms(r.newLeaderMs()) + ", " + r.oldLeader() + "'s Patroni started at "
                + ms(r.restartedMs()) + "; from that start, streaming at " + ms(r.streamingMs()) + ", caught up at " + ms(r.caughtUpMs()) + ".");
        out.println();
        out.println("Who accepted writes (" + r.samples() + " samples, every " + r.sampleIntervalMs() + " ms; times from the fault):");
        Table t = new Table("MEMBER", "ACCEPTED WRITES");
        for (Map.Entry<String, List<SplitBrainAnalysis.Window>> e : r.writeWindows().entrySet()) {
            t.row(e.getKey(), e.getValue().isEmpty() ? "never" : String.join(", ", e.getValue().stream()
                    .map(w -> w.fromMs() + " .. " + w.toMs() + " ms").toList()));
        }
        t.row("leader key", spans(r.leaderKeyHolders(), "nobody"));
        t.row("HAProxy write port", spans(r.haproxyRoutes(), "nowhere"));
        t.print(out);
        out.println();
        long lost = r.lostWrites().values().stream().mapToLong(Long::longValue).sum();
        long acknowledged = r.acknowledged().values().stream().mapToLong(Long::longValue).sum();
        out.println("Writes: " + acknowledged + " acknowledged " + r.acknowledged() + "; " + lost + " missing on the leader at the end"
                + (r.lostWrites().isEmpty() ? "" : " " + r.lostWrites()) + "; two writers at once in " + r.doubleWrites().size()
                + " samples; HAProxy off the key's holder in " + r.haproxyViolations().size() + " (slack " + r.haproxySlackSamples()
                + " sample)");
        out.println();
        criteria(out, r.criteria());
    }

    public static String splitBrainJunit(SplitBrainReport r) {
        return DrillView.junit("connect drill split-brain " + r.cluster(), "split-brain", r.faultAt(), r.criteria());
    }

    static String rewind(RewindEvidence e) {
        if (e == null) {
            return "not known";
        }
        StringBuilder sb = new StringBuilder();
        if (e.crashRecovery()) {
            sb.append("crash recovery in single-user mode, then ");
        }
        if (!e.rewindRan()) {
            sb.append("no pg_rewind in Patroni's log");
        } else {
            sb.append("pg_rewind ran (exit ").append(e.rewindExitCode() == null ? "none: cancelled" : e.rewindExitCode()).append(")");
            if (e.divergedAt() != null) {
                sb.append(", diverged at ").append(e.divergedAt());
            }
        }
        if (e.dataDirectoryRemoved()) {
            sb.append("; the data directory was removed to clone it again");
        }
        return sb.toString();
    }

    static String spans(List<SplitBrainAnalysis.Span> spans, String nobody) {
        return String.join(", ", spans.stream().map(s -> (s.member() == null ? nobody : s.member()) + " " + s.fromMs() + " .. " + s.toMs()
                + " ms").toList());
    }

    private static String digest(RejoinReport.TableDigest d) {
        return d == null ? "not read" : d.rows() + " rows, sum " + d.sumSeq() + ", max " + d.maxSeq() + ", md5 " + d.md5();
    }

    private static void criteria(PrintWriter out, List<DrillReport.Criterion> criteria) {
        for (DrillReport.Criterion c : criteria) {
            out.printf(Locale.ROOT, "  %s %-48s %-32s required %s%n", c.passed() ? "✓" : "✗", c.name(), c.measured(), c.required());
        }
    }

    private static String ms(Long ms) {
        return ms == null ? "not observed" : ms + " ms";
    }

    private static String orUnknown(Integer timeline) {
        return timeline == null ? "?" : timeline.toString();
    }
}
