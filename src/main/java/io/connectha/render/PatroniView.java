package io.connectha.render;

import io.connectha.units.Printable;

import io.connectha.units.Units;

import io.connectha.patroni.HistoryEntry;
import io.connectha.patroni.PatroniCluster;
import io.connectha.patroni.PatroniMember;
import io.connectha.patroni.PatroniService;
import io.connectha.patroni.SwitchoverResult;

import java.io.PrintWriter;
import java.util.List;

/** Tables for the patroni commands, in patronictl's manner. */
public final class PatroniView {

    private PatroniView() {
    }

    public static void list(PrintWriter out, PatroniCluster cluster) {
        Table t = new Table("MEMBER", "HOST", "ROLE", "STATE", "TL", "LAG (PATRONI)", "PENDING RESTART", "TAGS");
        for (PatroniMember m : cluster.members()) {
            t.row(m.name(), m.host() == null ? "" : m.host() + ":" + m.port(), m.role() == null ? "" : m.role().name(), m.state(),
                    m.timeline() == null ? "" : m.timeline(), m.isLeader() ? "" : m.lagBytes() == null ? "unknown" : Units.humanBytes(m.lagBytes()),
                    Boolean.TRUE.equals(m.pendingRestart()) ? "*" : "", tags(m));
        }
        t.print(out);
        if (cluster.isPaused()) {
            out.println("Maintenance mode: on");
        }
        if (cluster.scheduledSwitchover() != null) {
            out.println("Switchover scheduled at " + cluster.scheduledSwitchover().at()
                    + (cluster.scheduledSwitchover().to() == null ? "" : " to " + cluster.scheduledSwitchover().to()));
        }
    }

    private static String tags(PatroniMember m) {
        if (m.tags() == null) {
            return "";
        }
        return m.tags().entrySet().stream().filter(e -> !Boolean.FALSE.equals(e.getValue()))
                .map(e -> Boolean.TRUE.equals(e.getValue()) ? e.getKey() : e.getKey() + "=" + e.getValue())
                .reduce((a, b) -> a + "," + b).orElse("");
    }

    public static void history(PrintWriter out, List<HistoryEntry> history) {
        Table t = new Table("TL", "LSN", "REASON", "TIMESTAMP", "NEW LEADER");
        for (HistoryEntry e : history) {
            t.row(e.timeline(), lsn(e.lsn()), e.reason(), e.timestamp(), e.newLeader());
        }
        t.print(out);
    }

    /** A byte position as PostgreSQL prints an LSN: 0/3000060. */
    public static String lsn(long position) {
        return Long.toHexString(position >>> 32).toUpperCase() + "/" + Long.toHexString(position & 0xFFFFFFFFL).toUpperCase();
    }

    public static void switchover(PrintWriter out, SwitchoverResult r) {
        if (r.dryRun()) {
            out.println("Dry run: would " + r.kind() + " from " + (r.from() == null ? "(no leader)" : r.from()) + " to " + r.to()
                    + (r.scheduledAt() == null ? "" : " at " + r.scheduledAt()) + ". The candidate passed the checks.");
        } else if (r.scheduled()) {
            out.println("Scheduled: " + r.kind() + " from " + r.from() + " to " + r.to() + " at " + r.scheduledAt() + ". " + Printable.visible(r.patroniMessage()));
        } else {
            out.println(capital(r.kind()) + " done: " + r.to() + " is the leader (confirmed by Patroni and PostgreSQL) after "
                    + Units.humanDuration(r.took()) + ". Was: " + (r.from() == null ? "(no leader)" : r.from()) + ".");
        }
    }

    public static void reinit(PrintWriter out, PatroniService.ReinitResult r) {
        out.println(r.dryRun() ? "Would delete the data of " + r.member() + " and clone it again from the leader."
                : r.member() + ": " + r.patroniMessage());
    }

    public static void maintenance(PrintWriter out, PatroniService.MaintenanceResult r) {
        if (!r.changed()) {
            out.println("Patroni is already " + (r.paused() ? "paused" : "running (not paused)") + "; nothing to do.");
        } else if (r.dryRun()) {
            out.println("Would " + r.action() + " Patroni (maintenance mode " + (r.paused() ? "on" : "off") + ").");
        } else {
            out.println(r.paused() ? "Paused: maintenance mode on; Patroni will not fail over." : "Resumed: Patroni manages the cluster again.");
        }
    }

    private static String capital(String s) {
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
