package io.connectha.render;

import io.connectha.cluster.Problem;
import io.connectha.status.FleetStatus;
import io.connectha.units.Printable;
import io.connectha.units.Units;

import java.io.PrintWriter;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/** {@code connect ha status --all} for people: one line per context's cluster, with its worst problem. */
public final class FleetStatusView {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());

    private FleetStatusView() {
    }

    public static void print(PrintWriter out, FleetStatus fleet) {
        long healthy = fleet.clusters().stream().filter(c -> c.verdict() == FleetStatus.Verdict.healthy).count();
        out.println(healthy + " of " + fleet.clusters().size() + " cluster" + (fleet.clusters().size() == 1 ? "" : "s") + " healthy"
                + "    checked " + TIME.format(fleet.checkedAt()) + " in " + Units.humanDuration(fleet.took())
                + " (deadline " + Units.humanDuration(fleet.deadline()) + ")");
        Table table = new Table("CURRENT", "CONTEXT", "CLUSTER", "LEADER", "MEMBERS", "STATE", "PROBLEM");
        for (FleetStatus.Cluster c : fleet.clusters()) {
            table.row(c.current() ? "*" : "", c.context(), c.cluster() == null ? "?" : c.cluster(),
                    c.leader() != null ? c.leader() : c.membersTotal() == null ? "?" : "NONE",
                    c.membersTotal() == null ? "?" : c.membersUp() + "/" + c.membersTotal(),
                    c.verdict().name(), problem(c));
        }
        table.print(out);
    }

    private static String problem(FleetStatus.Cluster c) {
        Problem p = c.worstProblem();
        if (p == null) {
            return "-";
        }
        return Printable.visible(p.code() + ": " + p.message()) + (c.problems() > 1 ? " (+" + (c.problems() - 1) + " more)" : "");
    }
}
