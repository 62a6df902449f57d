package io.connectha.patroni;

import io.connectha.cluster.MemberSpec;
import io.connectha.error.ConnectError;
import io.connectha.net.EveryAnswer;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * patronictl's per-member operations that answer at once: version, reload, and flush of scheduled
 * restarts and switchovers. Each member is asked on its own, so one that does not answer is reported
 * beside those that did rather than hiding them.
 */
public final class MemberOperations {

    /** What became of one member: {@code outcome} is reloaded, cancelled, nothing_scheduled, would_reload, would_cancel or failed. */
    public record MemberReply(String member, String role, String outcome, String patroniMessage, String error) {
        public boolean failed() {
            return error != null;
        }
    }

    /** @param action reload, flush_restart or flush_switchover */
    public record Replies(String action, boolean dryRun, List<MemberReply> members) {
        public boolean anyFailed() {
            return members.stream().anyMatch(MemberReply::failed);
        }

        /** True when no member answered at all: nothing could be done. */
        public boolean noneAnswered() {
            return !members.isEmpty() && members.stream().allMatch(MemberReply::failed);
        }
    }

    /**
     * One member's versions. {@code postgresVersion} is PostgreSQL's as people write it (15.10), {@code serverVersion}
     * its {@code server_version_num}; both null when its PostgreSQL is down; {@code error} when its Patroni did not answer.
     */
    public record MemberVersion(String member, String role, String state, String patroniVersion, String postgresVersion,
                                Integer serverVersion, String error) {
    }

    /** @param mixed true when the members run different Patroni or PostgreSQL major versions: a rolling upgrade under way */
    public record Versions(List<MemberVersion> members, List<String> patroniVersions, List<String> postgresVersions, boolean mixed) {
        public boolean anyUnanswered() {
            return members.stream().anyMatch(m -> m.error() != null);
        }
    }

    private final PatroniService patroni;

    public MemberOperations(PatroniService patroni) {
        this.patroni = patroni;
    }

    public Versions versions(List<String> names) {
        List<MemberVersion> members = new ArrayList<>();
        for (EveryAnswer.Answer<MemberSpec, PatroniNode> a : patroni.nodes(patroni.members(names))) {
            PatroniNode n = a.value();
            members.add(a.ok() ? new MemberVersion(n.member(), n.isLeader() ? "leader" : n.role(), n.state(), n.patroniVersion(),
                    n.postgresVersion(), n.serverVersion(), null)
                    : new MemberVersion(a.target().name(), null, null, null, null, null, a.error().getMessage()));
        }
        List<String> patroniVersions = members.stream().map(MemberVersion::patroniVersion).filter(v -> v != null).distinct().sorted().toList();
        List<String> postgresVersions = members.stream().map(MemberVersion::postgresVersion).filter(v -> v != null).distinct().sorted().toList();
        long majors = members.stream().map(MemberVersion::serverVersion).filter(v -> v != null).map(v -> v / 10000).distinct().count();
        return new Versions(members, patroniVersions, postgresVersions, patroniVersions.size() > 1 || majors > 1);
    }

    /** {@code POST /reload} on each member the role admits. */
    public Replies reload(List<String> names, RollingRestart.RoleFilter role, boolean dryRun) {
        return perMember("reload", names, role, dryRun, n -> true, (m, n) -> patroni.reload(m), "reloaded", "would_reload");
    }

    /** Cancels the scheduled restart of each member that has one. */
    public Replies flushRestarts(List<String> names, RollingRestart.RoleFilter role, boolean dryRun) {
        return perMember("flush_restart", names, role, dryRun, n -> n.scheduledRestart() != null,
                (m, n) -> patroni.cancelScheduledRestart(m).orElse(null), "cancelled", "would_cancel");
    }

    /** Cancels the cluster's scheduled switchover, if there is one. */
    public Replies flushSwitchover(boolean dryRun) {
        PatroniCluster.ScheduledSwitchover s = patroni.cluster().scheduledSwitchover();
        String what = s == null ? null : "switchover" + (s.from() == null ? "" : " from " + s.from())
                + (s.to() == null ? "" : " to " + s.to()) + " at " + s.at();
        if (s == null) {
            return new Replies("flush_switchover", dryRun, List.of(new MemberReply(null, null, "nothing_scheduled", null, null)));
        }
        if (dryRun) {
            return new Replies("flush_switchover", true, List.of(new MemberReply(null, null, "would_cancel", what, null)));
        }
        Optional<String> message = patroni.cancelScheduledSwitchover();
        return new Replies("flush_switchover", false, List.of(new MemberReply(null, null,
                message.isPresent() ? "cancelled" : "nothing_scheduled", message.orElse(what), null)));
    }

    private interface Change {
        String apply(MemberSpec member, PatroniNode node);
    }

    private Replies perMember(String action, List<String> names, RollingRestart.RoleFilter role, boolean dryRun,
                              java.util.function.Predicate<PatroniNode> concerned, Change change, String done, String wouldDo) {
        List<MemberReply> replies = new ArrayList<>();
        for (EveryAnswer.Answer<MemberSpec, PatroniNode> a : patroni.nodes(patroni.members(names))) {
            if (!a.ok()) {
                replies.add(new MemberReply(a.target().name(), null, "failed", null, a.error().getMessage()));
                continue;
            }
            PatroniNode n = a.value();
            if (!role.admits(n)) {
                continue;
            }
            String memberRole = n.isLeader() ? "leader" : "replica";
            if (!concerned.test(n)) {
                replies.add(new MemberReply(n.member(), memberRole, "nothing_scheduled", null, null));
            } else if (dryRun) {
                replies.add(new MemberReply(n.member(), memberRole, wouldDo, n.scheduledRestart(), null));
            } else {
                try {
                    String message = change.apply(a.target(), n);
                    replies.add(new MemberReply(n.member(), memberRole, message == null ? "nothing_scheduled" : done, message, null));
                } catch (ConnectError e) {
                    replies.add(new MemberReply(n.member(), memberRole, "failed", null, e.getMessage()));
                }
            }
        }
        return new Replies(action, dryRun, replies);
    }
}
