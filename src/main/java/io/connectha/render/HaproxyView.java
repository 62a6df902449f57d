package io.connectha.render;

import io.connectha.units.Units;

import io.connectha.haproxy.HaproxyServer;
import io.connectha.haproxy.HaproxyServerChange;
import io.connectha.haproxy.HaproxyStatus;

import java.io.PrintWriter;
import java.util.List;

/** {@code connect ha haproxy ...} for people. */
public final class HaproxyView {

    private HaproxyView() {
    }

    public static void print(PrintWriter out, HaproxyStatus s) {
        String reach = s.writeReaches() == null ? "cannot be used"
                : "reaches " + s.writeReaches() + (Boolean.TRUE.equals(s.writeReachesPrimary()) ? " (primary)" : " (a REPLICA)");
        out.println("HAProxy (" + s.source() + "): write port " + s.writePort() + " " + reach + "; read port " + s.readPort());
        Table t = new Table("BACKEND", "SERVER", "STATUS", "CHECK", "SESSIONS", "SINCE CHANGE");
        for (List<HaproxyServer> backend : List.of(s.write(), s.read())) {
            for (HaproxyServer server : backend) {
                t.row(server.backend(), server.label(), server.status(), server.checkStatus(), server.currentSessions(),
                        Units.humanDuration(server.sinceChange()));
            }
        }
        t.print(out);
        out.println();
        StatusView.problems(out, s.problems());
    }

    public static void print(PrintWriter out, HaproxyServerChange c) {
        Table t = new Table("BACKEND", "SERVER", "BEFORE", "AFTER", "OUTCOME", "COMMANDS");
        for (HaproxyServerChange.BackendChange b : c.backends()) {
            String server = b.server() == null || b.server().equals(c.server()) ? c.server() : b.server() + " (" + c.server() + ")";
            t.row(b.backend(), server, b.before(), b.after(), b.outcome().name().replace('_', ' '), String.join("; ", b.commands()));
        }
        t.print(out);
        if (c.dryRun()) {
            out.println("Dry run: nothing sent.");
        }
    }
}
