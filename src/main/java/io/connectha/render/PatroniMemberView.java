package io.connectha.render;

import io.connectha.patroni.MemberOperations;
import io.connectha.patroni.RollingRestart;
import io.connectha.units.Printable;
import io.connectha.units.Units;

import java.io.PrintWriter;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** Tables for the patroni commands that act member by member: restart, reload, flush, version. */
public final class PatroniMemberView {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

    private PatroniMemberView() {
    }

    public static void restart(PrintWriter out, RollingRestart.Result r) {
        if (r.members().isEmpty()) {
            out.println("No member " + (r.role() == RollingRestart.RoleFilter.any ? "" : "with the role " + r.role() + " ")
                    + "to restart; nothing to do.");
            return;
        }
        Table t = new Table("MEMBER", "ROLE", "PENDING RESTART", "ACTION", "STARTED BEFORE", "STARTED AFTER", "BACK AFTER", "PATRONI");
        for (RollingRestart.MemberRestart m : r.members()) {
            t.row(m.member(), m.role(), m.pendingRestart() ? "*" : "", m.action().name().replace('_', ' '), time(m.startedBefore()),
                    time(m.startedAfter()), m.back() == null ? "" : Units.humanDuration(m.back()),
                    m.reason() != null ? Printable.visible(m.reason()) : m.patroniMessage() == null ? "" : Printable.visible(m.patroniMessage()));
        }
        t.print(out);
        if (r.leaderFirstBecause() != null) {
            out.println("The leader " + (r.dryRun() ? "goes" : "went") + " first: the restart lowers " + r.leaderFirstBecause()
                    + ", and a replica may not run below its primary.");
        }
        long restarted = r.members().stream().filter(m -> m.action() == RollingRestart.Action.restarted).count();
        if (r.dryRun()) {
            out.println("Dry run: nothing was restarted. Replicas go first, the leader last, each waited for until it is back.");
        } else if (r.scheduledAt() != null) {
            out.println("Patroni restarts them at " + r.scheduledAt() + (r.pendingOnly() ? ", if a restart is still pending then" : "")
                    + ". Cancel with: connect ha patroni flush restart");
        } else if (!r.complete()) {
            out.println("Stopped: a restart failed or did not come back in time; the members after it were left alone.");
        } else {
            out.println(restarted == 0 ? "Nothing needed a restart." : "Restarted " + restarted + " member(s); each is back.");
        }
    }

    public static void replies(PrintWriter out, MemberOperations.Replies r) {
        Table t = new Table("MEMBER", "ROLE", "OUTCOME", "PATRONI");
        for (MemberOperations.MemberReply m : r.members()) {
            t.row(m.member() == null ? "(cluster)" : m.member(), m.role() == null ? "" : m.role(), m.outcome().replace('_', ' '),
                    Printable.visible(m.error() != null ? m.error() : m.patroniMessage() == null ? "" : m.patroniMessage()));
        }
        if (t.isEmpty()) {
            out.println("No member with that role; nothing to do.");
            return;
        }
        t.print(out);
        if (r.dryRun()) {
            out.println("Dry run: nothing was changed.");
        }
    }

    public static void versions(PrintWriter out, MemberOperations.Versions v) {
        Table t = new Table("MEMBER", "ROLE", "STATE", "PATRONI", "POSTGRESQL");
        for (MemberOperations.MemberVersion m : v.members()) {
            t.row(m.member(), m.role() == null ? "" : m.role(), m.error() != null ? Printable.visible(m.error()) : m.state(),
                    m.patroniVersion() == null ? "" : m.patroniVersion(), m.postgresVersion() == null ? "" : m.postgresVersion());
        }
        t.print(out);
        if (v.mixed()) {
            out.println("Mixed versions (a rolling upgrade under way?): Patroni " + String.join(", ", v.patroniVersions())
                    + "; PostgreSQL " + String.join(", ", v.postgresVersions()));
        }
    }

    private static String time(Instant i) {
        return i == null ? "" : TIME.format(i);
    }
}
