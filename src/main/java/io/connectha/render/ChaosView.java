package io.connectha.render;

import io.connectha.drill.ChaosCycle;
import io.connectha.drill.ChaosReport;
import io.connectha.drill.DrillReport;
import io.connectha.drill.FaultKind;
import io.connectha.drill.SetChecker;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** A chaos campaign for people: a row per cycle, the totals, the set checker's rules; and as JUnit XML. */
public final class ChaosView {

    private ChaosView() {
    }

    public static ChaosReportJson json(ChaosReport r) {
        return ChaosReportJson.of(r);
    }

    public static void print(PrintWriter out, ChaosReport r) {
        out.println("Drill chaos on " + r.cluster() + ": " + (r.passed() ? "PASSED" : "FAILED") + " (" + r.cycles().size() + " cycles in "
                + seconds(r.ran()) + ", seed " + r.seed() + "; " + r.options().faults().stream().map(FaultKind::option)
                .collect(Collectors.joining(", ")) + "; held " + seconds(r.options().faultFor()) + ", healed " + seconds(r.options().healFor())
                + (r.interrupted() ? "; interrupted" : "") + ")");
        if (r.endError() != null && !r.interrupted()) {
            out.println("Ended early: " + r.endError());
        }
        out.println();
        Table t = new Table("#", "FAULT", "TARGET", "LEADER", "KEY CHANGE", "WRITABLE", "CLIENT RTO", "ACKED", "FAILED", "LOST",
                "SPLIT-BRAIN", "HEALED");
        for (ChaosCycle c : r.cycles()) {
            t.row(c.number(), c.fault().option() + (c.applied() ? "" : " (error)"), c.target(), leaders(c), ms(c.leaderKeyChange()),
                    ms(c.writable()), ms(c.clientRto()), c.acknowledged(), c.failed(), c.lost(), c.splitBrainWrites(),
                    c.didHeal() ? ms(c.healed()) : "NOT HEALED");
        }
        t.print(out);
        for (ChaosCycle c : r.cycles()) {
            if (!c.applied()) {
                out.println("cycle " + c.number() + ": " + c.faultError());
            }
        }
        out.println();
        ChaosReportJson.Totals totals = ChaosReportJson.of(r).totals();
        out.printf(Locale.ROOT, "Totals: %d cycles, %d writes acknowledged, %d failed; lost %s, recovered %s, unexpected %s, duplicated %s; "
                        + "split-brain writes %d, leader overlaps %s; cycles not healed %d; longest client RTO %s%n", totals.cycles(),
                totals.acknowledged(), totals.failed(), orUnknown(totals.lost()), orUnknown(totals.recovered()), orUnknown(totals.unexpected()),
                orUnknown(totals.duplicated()), totals.splitBrainWrites(), orUnknown(totals.leaderOverlaps()), totals.unhealed(),
                totals.maxClientRtoMs() == null ? "-" : totals.maxClientRtoMs() + " ms");
        if (r.checkError() != null) {
            out.println("Set checker did not run: " + r.checkError());
        }
        out.println();
        for (DrillReport.Criterion c : setCriteria(r)) {
            out.printf(Locale.ROOT, "%s %-40s %-34s required %s%n", c.passed() ? "✓" : "✗", c.name(), c.measured(), c.required());
        }
        out.flush();
    }

    /** One criterion per cycle, then one per rule of the set checker: JUnit's test cases, and report.json's criteria. */
    static List<DrillReport.Criterion> criteria(ChaosReport r) {
        List<DrillReport.Criterion> all = new ArrayList<>();
        for (ChaosCycle c : r.cycles()) {
            all.add(new DrillReport.Criterion("cycle " + c.number() + ": " + c.fault().option() + " on " + c.target(), !c.violated(),
                    "0 lost, 0 split-brain writes, healed within " + seconds(r.options().maxHeal()),
                    c.lost() + " lost, " + c.splitBrainWrites() + " split-brain writes, " + (c.didHeal() ? "healed in " + ms(c.healed())
                            : "not healed") + (c.applied() ? "" : " (" + c.faultError() + ")")));
        }
        all.addAll(setCriteria(r));
        return all;
    }

    private static List<DrillReport.Criterion> setCriteria(ChaosReport r) {
        SetChecker.Result c = r.setCheck();
        if (c == null) {
            String why = "not checked: " + r.checkError();
            return List.of(new DrillReport.Criterion("every acknowledged write present", false, "0 lost", why),
                    new DrillReport.Criterion("no write present that was never sent", false, "0 unexpected", why),
                    new DrillReport.Criterion("every write present at most once", false, "0 duplicated", why),
                    new DrillReport.Criterion("no two leaders at once", false, "0 overlapping writes", why));
        }
        return List.of(
                new DrillReport.Criterion("every acknowledged write present", c.lost() == 0, "0 lost",
                        c.lost() + " lost of " + c.acknowledged() + " acknowledged" + (c.lostSeqs().isEmpty() ? ""
                                : " (seq " + c.lostSeqs().stream().limit(5).map(String::valueOf).collect(Collectors.joining(", "))
                                + (c.lost() > 5 ? ", ..." : "") + ")")),
                new DrillReport.Criterion("no write present that was never sent", c.unexpected() == 0, "0 unexpected",
                        c.unexpected() + " unexpected, " + c.recovered() + " recovered (failed for the client, present)"),
                new DrillReport.Criterion("every write present at most once", c.duplicated() == 0, "0 duplicated",
                        c.duplicated() + " duplicated of " + c.rows() + " rows"),
                new DrillReport.Criterion("no two leaders at once", c.leaderOverlaps() == null || c.leaderOverlaps() == 0,
                        "0 overlapping writes", c.leaderOverlaps() == null ? "not checked (PgBouncer in transaction pooling)"
                        : c.leaderOverlaps() + " overlapping writes" + (c.overlaps().isEmpty() ? "" : " (first: seq " + c.overlaps().get(0).seq()
                        + " on " + c.overlaps().get(0).member() + " while " + c.overlaps().get(0).leader() + " led)")));
    }

    public static String junit(ChaosReport r) {
        return DrillView.junit("connect drill chaos " + r.cluster() + " seed " + r.seed(), "chaos", r.startedAt(), criteria(r));
    }

    private static String leaders(ChaosCycle c) {
        if (c.oldLeader() == null || c.newLeader() == null || c.oldLeader().equals(c.newLeader())) {
            return c.oldLeader() == null ? (c.newLeader() == null ? "none" : "-> " + c.newLeader()) : c.oldLeader()
                    + (c.newLeader() == null ? " -> none" : "");
        }
        return c.oldLeader() + " -> " + c.newLeader();
    }

    private static String ms(Duration d) {
        return d == null ? "-" : d.toMillis() + " ms";
    }

    private static String seconds(Duration d) {
        long s = d.toSeconds();
        return s >= 60 ? (s / 60) + "m" + (s % 60 == 0 ? "" : (s % 60) + "s") : (d.toMillis() % 1000 == 0 ? s + "s" : d.toMillis() + "ms");
    }

    private static String orUnknown(Long n) {
        return n == null ? "-" : n.toString();
    }
}
