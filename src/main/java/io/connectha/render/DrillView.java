package io.connectha.render;

import io.connectha.units.Units;

import io.connectha.drill.DrillReport;
import io.connectha.drill.DrillSeries;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** A drill's report for people, and as JUnit XML for CI systems (one test case per criterion). */
public final class DrillView {

    private DrillView() {
    }

    public static void summary(PrintWriter out, DrillReport r) {
        DrillReport.Subject s = r.subject();
        DrillReport.Timeline time = r.timeline();
        DrillReport.Writes w = r.writes();
        DrillReport.Data data = r.data();
        out.println("Drill " + s.fault().option() + " on " + s.cluster() + ": " + (r.passed() ? "PASSED" : "FAILED")
                + " (" + s.oldLeader() + " -> " + (s.newLeader() == null ? "no new leader" : s.newLeader())
                + (s.target().equals(s.oldLeader()) ? "" : "; fault on " + s.target()) + ")");
        out.println();
        out.println("Timeline from the fault (sampled every " + time.sampleInterval().toMillis() + " ms):");
        Table t = new Table("PHASE", "AT");
        if (time.etcdLeader() != null || s.fault().target() == io.connectha.drill.FaultKind.Target.ETCD_LEADER) {
            t.row("another etcd member is raft leader", ms(time.etcdLeader()));
        }
        t.row("leader key expired or changed in etcd", ms(time.detection()));
        t.row("another member holds the leader key", ms(time.newLeaderKey()));
        t.row("leader confirmed, accepting writes", ms(time.writable()));
        t.row("HAProxy routes writes to it", ms(time.haproxy()));
        t.row("first acknowledged write on it (client RTO)", ms(time.clientRto()));
        t.row("old leader streaming again", ms(time.rejoin()));
        t.row("cluster healthy again", ms(time.healthy()));
        t.print(out);
        out.println();
        out.printf(Locale.ROOT, "Writes through %s: %d clients, %d acknowledged, %d failed (%.2f%%), %.0f writes/s; latency p50 %.1f ms,"
                        + " p95 %.1f ms, max %.1f ms; longest gap a client saw %s%n", s.via().name(), s.clients(), w.acknowledged(), w.failed(),
                w.errorRate() * 100, w.writesPerSecond(), FailoverReportJson.fractionalMs(w.latencyP50()),
                FailoverReportJson.fractionalMs(w.latencyP95()), FailoverReportJson.fractionalMs(w.latencyMax()), ms(time.longestGap()));
        DrillReport.Reads reads = r.reads();
        if (reads != null && reads.readers() > 0) {
            out.printf(Locale.ROOT, "Reads on HAProxy's read port: %d readers, %d answered, %d failed (%.2f%%); p95 %.1f ms; longest gap %d ms;"
                            + " answered by %s%n", reads.readers(), reads.ok(), reads.failed(), reads.errorRate() * 100, reads.latencyP95Ms(),
                    reads.longestGapMs(), reads.byMember());
        }
        if (r.pooler() != null) {
            DrillReport.Pooler p = r.pooler();
            out.println("PgBouncer paused " + String.join(", ", p.databases()) + (p.steered() ? " (HAProxy steered)" : "") + ": held clients "
                    + ms(p.paused()) + " (pause " + ms(p.pause()) + ", promotion " + ms(p.promotion())
                    + (p.steered() ? ", steer " + ms(p.steer()) : "") + ", path " + ms(p.path()) + ", resume " + ms(p.resume()) + ")");
        }
        if (r.probe() != null) {
            DrillReport.Probe p = r.probe();
            out.println("HTTP probe " + p.url() + " every " + p.intervalMs() + " ms: " + p.probes() + " probes, " + p.failed()
                    + " failed, longest outage " + p.longestOutageMs() + " ms" + (p.lastError() == null ? "" : " (last: " + p.lastError() + ")"));
        }
        out.println("Data: " + data.rowsPresent() + " rows on the leader; lost acknowledged writes " + data.lostWrites()
                + (data.rpoBytesEstimate() == null || data.lostWrites() == 0 ? ""
                : " (RPO at least " + Units.humanBytes(data.rpoBytesEstimate()) + " of WAL)")
                + "; split-brain writes " + data.splitBrainWrites());
        held(out, r);
        out.println();
        criteria(out, FailoverCriteria.of(r), "  ");
    }

    /** A held fault's lines: how long it was held, the old leader's write window, what status said meanwhile. */
    private static void held(PrintWriter out, DrillReport r) {
        DrillReport.Held h = r.held();
        if (h == null) {
            return;
        }
        out.println("Held " + (h.held() == null ? "(not restored)" : h.held().toMillis() + " ms")
                + (h.faultFor() == null ? " (until the leader settled, at least ttl + loop_wait)" : " (--fault-for " + h.faultFor().toMillis() + " ms)")
                + "; restored at " + ms(h.restoredAt()) + " from the fault" + (h.seed() == null ? "" : "; seed " + h.seed()));
        DrillReport.WriteWindow w = h.window();
        if (w != null) {
            out.println("Old leader's write window: " + (w.length() == null ? "no write acknowledged after the fault" : w.length().toMillis() + " ms")
                    + "; " + h.leaderSideClients() + " clients on its side: " + w.writes() + " window writes, " + w.survived() + " survived, "
                    + w.lost() + " lost" + (w.lost() > 0 ? " (>= " + Units.humanBytes(w.lostWalBytes()) + " of WAL)" : ""));
        }
        DrillReport.StatusDuringFault st = h.statusDuringFault();
        if (st == null) {
            out.println("Status during the fault: not asked (the fault was over first)");
        } else {
            out.println("Status during the fault (at " + st.at().toMillis() + " ms): exit " + st.exitCode() + " in " + st.took().toMillis()
                    + " ms (deadline " + st.deadline().toMillis() + " ms); problems " + (st.problems().isEmpty() ? "none"
                    : String.join(", ", st.problems())) + "; " + (st.namesTarget() ? "names " : "does not name ") + r.subject().target());
        }
    }

    /** report.json of one run, with the field names and shapes of docs/drills.md. */
    public static FailoverReportJson json(DrillReport r) {
        return FailoverReportJson.of(r);
    }

    /** report.json with --repeat. */
    public static FailoverReportJson.Series json(DrillSeries s) {
        return FailoverReportJson.of(s);
    }

    /** With --repeat: each run in a line, its criteria when it failed, and the distribution of each figure. */
    public static void summary(PrintWriter out, DrillSeries s) {
        out.println("Drill " + s.fault().option() + " on " + s.cluster() + ", " + s.repeat() + " runs: " + (s.passed() ? "PASSED" : "FAILED"));
        out.println();
        Table t = new Table("RUN", "RESULT", "LEADER", "CLIENT RTO", "LEADER CONFIRMED", "HAPROXY", "LONGEST GAP", "LOST", "REJOIN");
        int i = 1;
        for (DrillReport r : s.runs()) {
            DrillReport.Subject run = r.subject();
            DrillReport.Timeline time = r.timeline();
            t.row(Integer.toString(i++), r.passed() ? "passed" : "FAILED", run.oldLeader() + " -> " + (run.newLeader() == null ? "none"
                            : run.newLeader()), ms(time.clientRto()), ms(time.writable()), ms(time.haproxy()), ms(time.longestGap()),
                    Long.toString(r.data().lostWrites()), time.rejoin() == null && run.oldLeader().equals(run.newLeader()) ? "-" : ms(time.rejoin()));
        }
        t.print(out);
        out.println();
        Table d = new Table("FIGURE", "RUNS", "P50", "P95", "MAX");
        s.distribution().forEach((name, v) -> d.row(name, Integer.toString(v.runs()), Long.toString(v.p50()), Long.toString(v.p95()),
                Long.toString(v.max())));
        d.print(out);
        i = 1;
        for (DrillReport r : s.runs()) {
            if (!r.passed()) {
                out.println();
                out.println("Run " + i + ":");
                criteria(out, FailoverCriteria.of(r), "  ");
            }
            i++;
        }
    }

    private static void criteria(PrintWriter out, List<DrillReport.Criterion> criteria, String indent) {
        for (DrillReport.Criterion c : criteria) {
            out.printf(Locale.ROOT, "%s%s %-44s %-22s required %s%n", indent, c.passed() ? "✓" : "✗", c.name(), c.measured(), c.required());
        }
    }

    private static String ms(Duration d) {
        return d == null ? "not observed" : d.toMillis() + " ms";
    }

    public static String junit(DrillReport r) {
        DrillReport.Subject s = r.subject();
        return junit("connect drill " + s.fault().option() + " " + s.cluster(), s.fault().option(), s.faultAt(), FailoverCriteria.of(r));
    }

    /** With --repeat: every run's criteria, named "run N: criterion". */
    public static String junit(DrillSeries s) {
        List<DrillReport.Criterion> all = new ArrayList<>();
        int i = 1;
        for (DrillReport r : s.runs()) {
            for (DrillReport.Criterion c : FailoverCriteria.of(r)) {
                all.add(new DrillReport.Criterion("run " + i + ": " + c.name(), c.passed(), c.required(), c.measured()));
            }
            i++;
        }
        return junit("connect drill " + s.fault().option() + " " + s.cluster() + " x" + s.repeat(), s.fault().option(),
                s.runs().get(0).subject().faultAt(), all);
    }

    /** JUnit XML for any drill: one test case per criterion, named {@code connect.drill.KIND}, the figure in the message. */
    public static String junit(String suite, String kind, java.time.Instant at, java.util.List<DrillReport.Criterion> criteria) {
        StringBuilder sb = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        long failures = criteria.stream().filter(c -> !c.passed()).count();
        sb.append("<testsuite name=\"").append(xml(suite)).append("\" tests=\"")
                .append(criteria.size()).append("\" failures=\"").append(failures).append("\" errors=\"0\" timestamp=\"")
                .append(at).append("\">\n");
        for (DrillReport.Criterion c : criteria) {
            sb.append("  <testcase classname=\"connect.drill.").append(xml(kind)).append("\" name=\"").append(xml(c.name()))
                    .append("\">\n");
            if (!c.passed()) {
                sb.append("    <failure message=\"").append(xml(c.measured() + " (required " + c.required() + ")")).append("\"/>\n");
            }
            sb.append("    <system-out>").append(xml(c.name() + ": " + c.measured() + "; required " + c.required())).append("</system-out>\n");
            sb.append("  </testcase>\n");
        }
        return sb.append("</testsuite>\n").toString();
    }

    private static String xml(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
