package io.connectha.render;

import io.connectha.lab.LabDownReport;
import io.connectha.lab.LabNetworkStatus;
import io.connectha.lab.LabProcess;
import io.connectha.lab.LabStatus;

import java.io.PrintWriter;

/** Tables for {@code lab up|status|down}. */
public final class LabView {

    private LabView() {
    }

    public static void print(PrintWriter out, LabStatus status) {
        Table t = new Table("PROCESS", "PROGRAM", "PID", "STATE", "ADDRESS", "ANSWERS");
        for (LabProcess p : status.processes()) {
            t.row(p.name(), p.program(), p.pid() == null ? "-" : p.pid(), p.running() ? "running" : "stopped",
                    p.address(), p.answering() ? "yes" : "no");
        }
        t.print(out);
        out.println();
        if (status.network() != null) {
            LabNetworkStatus n = status.network();
            out.println("Network: namespaces on " + n.subnet() + ", bridge " + n.bridge() + (n.bridgeUp() ? "" : " (absent)") + ", "
                    + (n.namespaces().isEmpty() ? "no namespace" : String.join(", ", n.namespaces())));
            out.println(n.partitioned().isEmpty() ? "Partitions: none" : "Partitions: rules in " + String.join(", ", n.partitioned())
                    + " (a drill holds a fault, or was killed: `lab down` heals it)");
        }
        out.println("Cluster file: " + status.clusterFile());
    }

    public static void print(PrintWriter out, LabDownReport report) {
        out.println(report.stopped().isEmpty() ? "Nothing was running in " + report.dir() + "."
                : "Stopped: " + String.join(", ", report.stopped()));
        if (!report.portsStillBound().isEmpty()) {
            out.println("Still bound: " + String.join(", ", report.portsStillBound()));
        }
        if (!report.survivors().isEmpty()) {
            out.println("Still running: pids " + report.survivors());
        }
        if (report.purged()) {
            out.println("Removed " + report.dir() + ".");
        }
    }
}
