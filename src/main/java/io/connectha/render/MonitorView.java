package io.connectha.render;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.connectha.monitor.Event;
import io.connectha.monitor.MonitorSnapshot;
import io.connectha.monitor.ProbeFigures;
import io.connectha.status.ClusterStatus;
import io.connectha.units.Units;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** The monitor for people ({@code GET /}), its events as JSON lines, and {@code /status}. */
public final class MonitorView {

    private static final DateTimeFormatter MILLIS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private MonitorView() {
    }

    /** One event as one line of JSON: a fixed field order, the time in UTC to the millisecond, absent fields left out. */
    public static String eventJson(Event e) {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("ts", MILLIS.format(e.at()));
        n.put("type", e.type().name());
        n.put("cluster", e.cluster());
        if (e.member() != null) {
            n.put("member", e.member());
        }
        if (e.from() != null) {
            n.put("from", e.from());
        }
        if (e.to() != null) {
            n.put("to", e.to());
        }
        if (e.source() != null) {
            n.put("source", e.source());
        }
        if (e.outage() != null) {
            n.put("outage_ms", e.outage().toMillis());
        }
        if (e.lagBytes() != null) {
            n.put("lag_bytes", e.lagBytes());
        }
        n.put("message", e.message());
        return n.toString();
    }

    /** One event as one line for people: the time, the type, then what happened. */
    public static String eventLine(Event e) {
        return MILLIS.format(e.at()) + "  " + e.type().name() + "  " + io.connectha.units.Printable.visible(e.message());
    }

    /** {@code /status}: the same JSON as {@code connect ha status -o json}, from the last round. */
    public static String statusJson(ClusterStatus s) {
        return Renderer.json(s) + "\n";
    }

    /** {@code GET /}: the last round's status, then the probe's availability against the objective, window by window. */
    public static String text(MonitorSnapshot s) {
        StringWriter sw = new StringWriter();
        PrintWriter out = new PrintWriter(sw);
        out.println("connect ha monitor: up " + Units.humanDuration(Duration.between(s.startedAt(), s.now())) + ", "
                + s.gathers() + " rounds" + (s.gatherAge() == null ? ", none finished yet"
                : ", the last " + Units.shortDuration(s.gatherAge()) + " ago (took " + Units.shortDuration(s.lastGatherTook()) + ")")
                + (s.healthy() ? "" : "; NOT HEALTHY: the gather loop is overdue"));
        out.println("leader key: " + (s.leader() == null ? "(none)" : s.leader()) + ", watched on "
                + (s.watchEndpoint() == null ? "(no endpoint now: reading it every round)" : s.watchEndpoint())
                + "; leader changes seen: " + s.leaderChanges());
        out.println();
        if (s.round() != null) {
            StatusView.print(out, s.round().status());
            out.println();
        }
        ProbeFigures p = s.probe();
        if (p == null) {
            out.println("probe: off (--no-probe)");
        } else {
            out.println(String.format(Locale.ROOT, "client's-eye probe, objective %s %%", trim(p.slo())));
            Table t = new Table("PATH", "WINDOW", "OBSERVED", "AVAILABILITY", "DOWNTIME", "BUDGET", "LEFT", "NOW");
            for (ProbeFigures.Path path : p.paths()) {
                for (ProbeFigures.Window w : path.windows()) {
                    t.row(path.path(), w.name(), Units.shortDuration(w.observed()),
                            String.format(Locale.ROOT, "%.4f %%", w.availability() * 100), Units.shortDuration(w.down()),
                            Units.shortDuration(w.budget()), signed(w.budgetRemaining()),
                            path.up() ? "up" : "DOWN " + (path.currentOutage() == null ? "" : Units.shortDuration(path.currentOutage())));
                }
            }
            t.print(out);
            for (ProbeFigures.Path path : p.paths()) {
                out.println(path.path() + ": " + path.ok() + " ok, " + path.failed() + " failed, " + path.outages() + " outages"
                        + (path.lastOutage() == null ? "" : ", the last " + Units.shortDuration(path.lastOutage()))
                        + (path.readStaleness() == null ? "" : ", heartbeat read " + Units.shortDuration(path.readStaleness()) + " old"));
            }
        }
        out.flush();
        return sw.toString();
    }

    private static String signed(Duration d) {
        return d.isNegative() ? "-" + Units.shortDuration(d.negated()) + " (overspent)" : Units.shortDuration(d);
    }

    private static String trim(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }

    static String at(Instant i) {
        return MILLIS.format(i);
    }
}
