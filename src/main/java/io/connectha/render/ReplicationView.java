package io.connectha.render;

import io.connectha.units.Units;

import io.connectha.pg.ReplicationConnection;
import io.connectha.pg.ReplicationSlot;
import io.connectha.replication.Promotion;
import io.connectha.replication.ReplicationSetup;
import io.connectha.replication.ReplicationStatus;
import io.connectha.replication.ReplicationVerify;
import io.connectha.replication.StandbyClone;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;

/** The replication commands' results for people. */
public final class ReplicationView {

    private ReplicationView() {
    }

    public static void setup(PrintWriter out, ReplicationSetup.Result r) {
        String verb = r.dryRun() ? "Would run" : "Ran";
        if (r.sql().isEmpty()) {
            out.println("SQL on " + r.primary() + ": nothing to change (role, slots and settings are as configured).");
        } else {
            out.println(verb + " on " + r.primary() + ":");
            r.sql().forEach(s -> out.println("  " + s + ";"));
        }
        if (r.hbaLinesAdded().isEmpty()) {
            out.println(r.hbaOnThisMachine() ? "pg_hba: " + r.hbaFile() + " already has the replication lines."
                    : "pg_hba: " + r.hbaFile() + " is not on this machine; it needs these lines before any other rule:");
        } else if (r.hbaOnThisMachine()) {
            out.println((r.dryRun() ? "Would add to " : "Added to ") + r.hbaFile() + " (before the first rule)"
                    + (r.hbaBackup() == null ? "" : "; the old file is " + r.hbaBackup()) + ":");
            r.hbaLinesAdded().forEach(l -> out.println("  " + l));
        } else {
            out.println("pg_hba: " + r.hbaFile() + " is not on this machine; add these lines there, before any other rule, and reload:");
            r.hbaLinesAdded().forEach(l -> out.println("  " + l));
        }
        if (r.restarted()) {
            out.println("Restarted " + r.primary() + ".");
        }
        if (!r.pendingRestart().isEmpty()) {
            out.println("RESTART NEEDED: " + String.join(", ", r.pendingRestart())
                    + " take effect only after a restart (run again with --restart, or restart the server).");
        }
        if (!r.afterRestart().isEmpty()) {
            out.println("After the restart (wal_level minimal allows no slots), setup will also run:");
            r.afterRestart().forEach(sql -> out.println("  " + sql + ";"));
        }
        if (!r.changed() && !r.dryRun()) {
            out.println("Nothing changed: the primary was already set up.");
        }
    }

    public static void clone(PrintWriter out, StandbyClone.Result r) {
        out.println(r.member() + " is streaming from " + r.primary() + " through slot " + r.slot()
                + (r.slotCreated() ? " (created)" : "") + ".");
        out.println("  data directory  " + r.dataDir());
        out.println("  base backup     " + Units.humanDuration(r.backupTook()));
        out.println("  streaming after " + Units.humanDuration(r.streamingAfter()) + " (from start)");
        out.println("  total           " + Units.humanDuration(r.took()));
    }

    public static void status(PrintWriter out, ReplicationStatus s) {
        Table members = new Table("MEMBER", "ADDRESS", "ROLE", "TL", "RECEIVER", "REPLAY PAUSED", "STREAMING", "ERROR");
        for (ReplicationStatus.Member m : s.members()) {
            boolean standby = m.role().equals("standby");
            members.row(m.name(), m.address(), m.role(), m.node() == null ? "" : m.node().timeline(),
                    m.node() == null || !standby ? "" : m.node().walReceiverStatus() == null ? "none" : m.node().walReceiverStatus(),
                    standby ? (m.node().replayPaused() ? "YES" : "no") : "",
                    standby ? (s.streaming(m.name()) ? "yes" : "NO") : "", m.error() == null ? "" : m.error());
        }
        members.print(out);
        for (ReplicationStatus.Member p : s.primaries()) {
            out.println();
            out.println("pg_stat_replication on " + p.name() + ":");
            Table senders = new Table("APPLICATION", "CLIENT", "STATE", "SYNC", "LAG", "WRITE LAG", "FLUSH LAG", "REPLAY LAG");
            for (ReplicationConnection r : p.senders()) {
                senders.row(r.applicationName(), r.clientAddr(), r.state(), r.syncState(),
                        r.lagBytes() == null ? "?" : Units.humanBytes(r.lagBytes()), ms(r.writeLag()), ms(r.flushLag()), ms(r.replayLag()));
            }
            if (senders.isEmpty()) {
                out.println("  (no standby connected)");
            } else {
                senders.print(out);
            }
            out.println();
            out.println("Slots on " + p.name() + ":");
            Table slots = new Table("SLOT", "TYPE", "ACTIVE", "RETAINED", "WAL STATUS");
            for (ReplicationSlot sl : p.slots()) {
                slots.row(sl.name(), sl.type(), sl.active() ? "yes" : "NO",
                        sl.retainedBytes() == null ? "" : Units.humanBytes(sl.retainedBytes()), sl.walStatus());
            }
            if (slots.isEmpty()) {
                out.println("  (none)");
            } else {
                slots.print(out);
            }
        }
    }

    public static void verify(PrintWriter out, ReplicationVerify.Result r) {
        out.println("Verify on primary " + r.primary() + ": " + r.rows() + " rows inserted, then updated ("
                + 2 * r.rows() + " changes), table " + r.table() + " dropped.");
        Table t = new Table("STANDBY", "CHANGES", "P50", "P95", "MAX", "ROWS PRIMARY", "ROWS STANDBY", "RESULT");
        for (ReplicationVerify.StandbyTiming s : r.standbys()) {
            t.row(s.member(), s.changes(), ms(s.p50()), ms(s.p95()), ms(s.max()), s.primaryRows(),
                    s.standbyRows() < 0 ? "?" : s.standbyRows(),
                    s.passed() ? "ok" : !s.caughtUp() ? "DID NOT CATCH UP" + (s.error() == null ? "" : ": " + s.error()) : "COUNTS DIFFER");
        }
        t.print(out);
        out.println("Delays are from the commit returning on the primary until the change was visible on the standby.");
    }

    public static void promote(PrintWriter out, Promotion.PromoteResult r) {
        out.println(r.member() + " (" + r.address() + ") is now a primary on timeline " + r.timeline() + "; promotion took "
                + ms(r.took()) + ".");
    }

    public static void rejoin(PrintWriter out, Promotion.RejoinResult r) {
        out.println(r.member() + " is a standby of " + r.primary() + " again and streaming"
                + (r.slotCreated() ? " (its slot was created on " + r.primary() + ")" : "") + "; pg_rewind took " + Units.humanDuration(r.rewindTook())
                + ", " + Units.humanDuration(r.took()) + " in all.");
    }

    /** A dry run's steps, in order. */
    public static void plan(PrintWriter out, java.util.List<String> steps) {
        out.println("Dry run: would do, in order (nothing was changed):");
        for (int i = 0; i < steps.size(); i++) {
            out.println(String.format(Locale.ROOT, "%3d. %s", i + 1, steps.get(i)));
        }
    }

    /** Milliseconds with microsecond precision: replication on one machine takes well under one. */
    static String ms(Duration d) {
        return d == null ? "" : String.format(Locale.ROOT, "%.3f ms", d.toNanos() / 1_000_000.0);
    }
}
