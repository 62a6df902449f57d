package io.connectha.render;

import io.connectha.drill.DrillReport;

import java.io.PrintWriter;
import java.util.Locale;

/** A drill's report for people, and as JUnit XML for CI systems (one test case per criterion). */
public final class DrillView {

    private DrillView() {
    }

    public static void summary(PrintWriter out, DrillReport r) {
        out.println("Drill " + r.fault() + " on " + r.cluster() + ": " + (r.passed() ? "PASSED" : "FAILED")
                + " (" + r.oldLeader() + " -> " + (r.newLeader() == null ? "no new leader" : r.newLeader()) + ")");
        out.println();
        out.println("Timeline from the fault (sampled every " + r.sampleIntervalMs() + " ms):");
        Table t = new Table("PHASE", "AT");
        t.row("leader key expired or changed in etcd", ms(r.detectionMs()));
        t.row("another member holds the leader key", ms(r.newLeaderKeyMs()));
        t.row("new leader confirmed, accepting writes", ms(r.writableMs()));
        t.row("HAProxy routes writes to it", ms(r.haproxyMs()));
        t.row("first acknowledged write on it (client RTO)", ms(r.clientRtoMs()));
        t.row("old leader streaming again", ms(r.rejoinMs()));
        t.print(out);
        out.println();
        out.printf(Locale.ROOT, "Load: %d clients, %d acknowledged, %d failed (%.2f%%), %.0f writes/s; latency p50 %.1f ms, p95 %.1f ms, max %.1f ms;"
                        + " longest gap a client saw %s%n", r.clients(), r.acknowledged(), r.failed(), r.errorRate() * 100, r.writesPerSecond(),
                r.latencyP50Ms(), r.latencyP95Ms(), r.latencyMaxMs(), ms(r.longestGapMs()));
        out.println("Data: " + r.rowsPresent() + " rows on the new leader; lost acknowledged writes " + r.lostWrites()
                + (r.rpoBytesEstimate() == null ? "" : " (RPO estimate " + Units.humanBytes(r.rpoBytesEstimate()) + ")")
                + "; split-brain writes " + r.splitBrainWrites());
        out.println();
        for (DrillReport.Criterion c : r.criteria()) {
            out.printf(Locale.ROOT, "  %s %-44s %-22s required %s%n", c.passed() ? "✓" : "✗", c.name(), c.measured(), c.required());
        }
    }

    private static String ms(Long ms) {
        return ms == null ? "not observed" : ms + " ms";
    }

    public static String junit(DrillReport r) {
        return junit("connect drill " + r.fault() + " " + r.cluster(), r.fault(), r.faultAt(), r.criteria());
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
