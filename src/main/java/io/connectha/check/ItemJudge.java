package io.connectha.check;

import io.connectha.patroni.PatroniCluster;
import io.connectha.patroni.PatroniMember;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Judges one check item from what Patroni said: pure, so each rule is tested with observations made by
 * hand. The rules follow check_patroni's services (cited per item); where connect differs, it says why.
 */
public final class ItemJudge {

    private ItemJudge() {
    }

    public static ItemResult judge(CheckItem item, PatroniObservations o, ItemOptions options, CheckState previous) {
        return switch (item) {
            case leader -> leader(o.cluster());
            case replicas -> replicas(o, options);
            case members -> members(o, options);
            case sync_standbys -> syncStandbys(o);
            case paused -> paused(o.cluster());
            case scheduled_action -> scheduledAction(o);
            case pending_restart -> pendingRestart(o);
            case timeline_changed -> timelineChanged(o, previous);
            case config_changed -> configChanged(o, previous);
        };
    }

    /** cluster_has_leader: a leader running, or a standby leader streaming (WARNING while in archive recovery); else CRITICAL. */
    static ItemResult leader(PatroniCluster c) {
        PatroniMember found = null;
        boolean running = false;
        for (PatroniMember m : c.members()) {
            if (!m.isLeader()) {
                continue;
            }
            boolean standby = m.role() == PatroniMember.Role.standby_leader;
            boolean up = standby ? "streaming".equals(m.state()) || "running".equals(m.state()) || "in archive recovery".equals(m.state())
                    : "running".equals(m.state());
            if (found == null || up && !running) {
                found = m;
                running = up;
            }
        }
        boolean standby = found != null && found.role() == PatroniMember.Role.standby_leader;
        boolean archive = standby && running && "in archive recovery".equals(found.state());
        boolean leads = found != null && running;
        CheckStatus status = !leads ? CheckStatus.CRITICAL : archive ? CheckStatus.WARNING : CheckStatus.OK;
        return new ItemResult(CheckItem.leader, status, new ItemFacts.Leader(found == null ? null : found.name(),
                found == null ? null : found.state(), found == null ? null : found.timeline(), leads, standby, archive), List.of(
                Measure.flag("has_leader", leads, "", Measure.ZERO),
                Measure.flag("is_standby_leader_in_arc_rec", archive, Measure.NOT_ZERO, ""),
                Measure.flag("is_standby_leader", leads && standby, "", ""),
                Measure.flag("is_leader", leads && !standby, "", "")));
    }

    /**
     * cluster_has_replica: a replica is healthy when PostgreSQL runs, on the leader's timeline, with a known
     * lag no more than the maximum. connect also asks the leader's pg_stat_replication (Patroni's /patroni)
     * whether it streams: Patroni 3.0.2 says "running" of a replica whose WAL receiver is down.
     */
    static ItemResult replicas(PatroniObservations o, ItemOptions opt) {
        PatroniCluster c = o.cluster();
        PatroniMember leader = c.leader().orElse(null);
        Integer leaderTimeline = leader == null ? null : leader.timeline();
        List<String> streamingOnLeader = null;
        if (leader != null && o.nodes() != null) {
            PatroniObservations.Node node = o.nodes().get(leader.name());
            streamingOnLeader = node == null ? null : node.streamingReplicas();
        }
        List<ItemFacts.Replica> replicas = new ArrayList<>();
        for (PatroniMember m : c.members()) {
            if (m.isLeader()) {
                continue;
            }
            Boolean streaming = streamingOnLeader != null ? Boolean.valueOf(streamingOnLeader.contains(m.name()))
                    : "streaming".equals(m.state()) ? Boolean.TRUE : null;
            List<ItemFacts.ReplicaProblem> problems = new ArrayList<>();
            if (!m.isRunning()) {
                problems.add(ItemFacts.ReplicaProblem.not_running);
            }
            if (Boolean.FALSE.equals(streaming)) {
                problems.add(ItemFacts.ReplicaProblem.not_streaming);
            }
            if (leaderTimeline == null || m.timeline() == null || !leaderTimeline.equals(m.timeline())) {
                problems.add(ItemFacts.ReplicaProblem.other_timeline);
            }
            if (m.lagBytes() == null) {
                problems.add(ItemFacts.ReplicaProblem.lag_unknown);
            } else if (m.lagBytes() > opt.maxLagBytes()) {
                problems.add(ItemFacts.ReplicaProblem.lag_over_max);
            }
            boolean sync = m.role() == PatroniMember.Role.sync_standby;
            replicas.add(new ItemFacts.Replica(m.name(), m.role() == null ? null : m.role().name(), m.state(), m.timeline(), m.lagBytes(),
                    streaming, sync, problems));
        }
        int healthy = (int) replicas.stream().filter(ItemFacts.Replica::healthy).count();
        int sync = (int) replicas.stream().filter(r -> r.sync() && r.healthy()).count();
        CheckStatus status = healthy < opt.minReplicasCritical() ? CheckStatus.CRITICAL
                : healthy < opt.minReplicasWarning() ? CheckStatus.WARNING : CheckStatus.OK;
        List<Measure> perf = new ArrayList<>(List.of(
                Measure.count("healthy_replica", healthy, Measure.below(opt.minReplicasWarning()), Measure.below(opt.minReplicasCritical())),
                Measure.count("unhealthy_replica", replicas.size() - healthy, "", ""),
                Measure.count("sync_replica", sync, "", "")));
        for (ItemFacts.Replica r : replicas) {
            if (r.lagBytes() != null) {
                perf.add(Measure.ofMember("lag", r.name(), r.lagBytes(), "B", null));
            }
            if (r.timeline() != null) {
                perf.add(Measure.ofMember("timeline", r.name(), r.timeline(), "", null));
            }
            perf.add(Measure.ofMember("sync", r.name(), r.sync() ? 1 : 0, "", 1L));
            if (r.streaming() != null) {
                perf.add(Measure.ofMember("streaming", r.name(), r.streaming() ? 1 : 0, "", 1L));
            }
        }
        return new ItemResult(CheckItem.replicas, status, new ItemFacts.Replicas(healthy, replicas.size() - healthy, sync, opt.maxLagBytes(),
                opt.minReplicasWarning(), opt.minReplicasCritical(), leaderTimeline, replicas), perf);
    }

    /**
     * cluster_node_count: a leader is healthy when running, a replica when running (Patroni before 3.0.4)
     * or streaming. The thresholds apply to healthy members; a member of the cluster file that Patroni does
     * not list at all is unhealthy by being absent.
     */
    static ItemResult members(PatroniObservations o, ItemOptions opt) {
        PatroniCluster c = o.cluster();
        Map<String, String> unhealthy = new LinkedHashMap<>();
        Map<String, Integer> roles = new TreeMap<>();
        Map<String, Integer> states = new TreeMap<>();
        int healthy = 0;
        for (PatroniMember m : c.members()) {
            String role = m.role() == null ? "unknown" : m.role().name();
            String state = m.state() == null ? "unknown" : m.state();
            roles.merge(role, 1, Integer::sum);
            states.merge(state, 1, Integer::sum);
            boolean ok = m.isLeader() && m.role() != PatroniMember.Role.standby_leader ? "running".equals(state) : m.isRunning();
            if (ok) {
                healthy++;
            } else {
                unhealthy.put(m.name(), state);
            }
        }
        List<String> listed = c.members().stream().map(PatroniMember::name).toList();
        List<String> missing = o.fileMembers().stream().filter(n -> !listed.contains(n)).toList();
        CheckStatus status = healthy < opt.minMembersCritical() ? CheckStatus.CRITICAL
                : healthy < opt.minMembersWarning() ? CheckStatus.WARNING : CheckStatus.OK;
        List<Measure> perf = new ArrayList<>(List.of(Measure.count("members", c.members().size(), "", ""),
                Measure.count("healthy_members", healthy, Measure.below(opt.minMembersWarning()), Measure.below(opt.minMembersCritical()))));
        roles.forEach((r, n) -> perf.add(Measure.labelled("role", "role", r, n)));
        states.forEach((s, n) -> perf.add(Measure.labelled("state", "state", s, n)));
        return new ItemResult(CheckItem.members, status, new ItemFacts.Members(c.members().size(), healthy, opt.minMembersWarning(),
                opt.minMembersCritical(), unhealthy, missing, roles, states), perf);
    }

    /**
     * Synchronous standbys against synchronous_node_count when synchronous_mode is on (check_patroni's
     * --sync-warning/--sync-critical of cluster_has_replica, with the thresholds Patroni's own setting gives):
     * as many as asked OK, fewer WARNING, none CRITICAL (commits then wait, or are no longer synchronous).
     * Off: OK, and nothing to count.
     */
    static ItemResult syncStandbys(PatroniObservations o) {
        com.fasterxml.jackson.databind.JsonNode cfg = o.config();
        com.fasterxml.jackson.databind.JsonNode mode = cfg.path("synchronous_mode");
        String m = mode.isBoolean() ? (mode.booleanValue() ? "on" : "off") : mode.isTextual() ? mode.asText().toLowerCase(java.util.Locale.ROOT) : "off";
        if (m.equals("true")) {
            m = "on";
        } else if (m.equals("false")) {
            m = "off";
        }
        boolean strict = cfg.path("synchronous_mode_strict").asBoolean(false);
        int expected = cfg.path("synchronous_node_count").canConvertToInt() ? cfg.path("synchronous_node_count").asInt() : 1;
        List<String> sync = o.cluster().members().stream()
                .filter(x -> x.role() == PatroniMember.Role.sync_standby).map(PatroniMember::name).toList();
        boolean on = !m.equals("off");
        CheckStatus status = !on || sync.size() >= expected ? CheckStatus.OK : sync.isEmpty() ? CheckStatus.CRITICAL : CheckStatus.WARNING;
        return new ItemResult(CheckItem.sync_standbys, status, new ItemFacts.SyncStandbys(m, strict, expected, sync), List.of(
                Measure.count("sync_standbys", sync.size(), on ? Measure.below(expected) : "", on ? Measure.below(1) : ""),
                Measure.count("expected_sync_standbys", on ? expected : 0, "", "")));
    }

    /** cluster_is_in_maintenance: paused is CRITICAL. Patroni then fails nothing over, whatever happens. */
    static ItemResult paused(PatroniCluster c) {
        boolean paused = c.isPaused();
        return new ItemResult(CheckItem.paused, paused ? CheckStatus.CRITICAL : CheckStatus.OK, new ItemFacts.Paused(paused),
                List.of(Measure.flag("is_in_maintenance", paused, "", Measure.NOT_ZERO)));
    }

    /**
     * cluster_has_scheduled_action: a scheduled switchover or restart is CRITICAL. A scheduled restart is
     * read from each member's own /patroni (connect's model of /cluster does not keep it): a member
     * that did not answer cannot show one.
     */
    static ItemResult scheduledAction(PatroniObservations o) {
        PatroniCluster.ScheduledSwitchover s = o.cluster().scheduledSwitchover();
        ItemFacts.ScheduledSwitchover switchover = s == null ? null : new ItemFacts.ScheduledSwitchover(s.at(), s.from(), s.to());
        List<ItemFacts.ScheduledRestart> restarts = new ArrayList<>();
        if (o.nodes() != null) {
            for (PatroniObservations.Node n : o.nodes().values()) {
                if (n.scheduledRestartAt() != null) {
                    restarts.add(new ItemFacts.ScheduledRestart(n.name(), n.scheduledRestartAt()));
                }
            }
        }
        boolean any = switchover != null || !restarts.isEmpty();
        return new ItemResult(CheckItem.scheduled_action, any ? CheckStatus.CRITICAL : CheckStatus.OK,
                new ItemFacts.Scheduled(switchover, restarts), List.of(
                Measure.flag("has_scheduled_actions", any, "", Measure.NOT_ZERO),
                Measure.flag("scheduled_switchover", switchover != null, "", ""),
                Measure.count("scheduled_restart", restarts.size(), "", "")));
    }

    /**
     * node_is_pending_restart, for every member at once: any member with the flag is CRITICAL. Each
     * member's own /patroni says; for one that did not answer, the flag it last wrote to the DCS (/cluster).
     */
    static ItemResult pendingRestart(PatroniObservations o) {
        List<String> pending = new ArrayList<>();
        List<String> unanswered = new ArrayList<>();
        List<Measure> perf = new ArrayList<>();
        List<String> names = new ArrayList<>(o.fileMembers());
        o.cluster().members().stream().map(PatroniMember::name).filter(n -> !names.contains(n)).forEach(names::add);
        for (String name : names) {
            PatroniObservations.Node node = o.nodes() == null ? null : o.nodes().get(name);
            Boolean flag;
            if (node != null && node.answered()) {
                flag = Boolean.TRUE.equals(node.pendingRestart());
            } else {
                unanswered.add(name);
                flag = o.cluster().members().stream().filter(m -> m.name().equals(name)).findFirst()
                        .map(m -> Boolean.TRUE.equals(m.pendingRestart())).orElse(null);
            }
            if (Boolean.TRUE.equals(flag)) {
                pending.add(name);
            }
            if (flag != null) {
                perf.add(Measure.ofMember("pending_restart", name, flag ? 1 : 0, "", 1L));
            }
        }
        perf.add(0, Measure.count("pending_restart", pending.size(), "", Measure.NOT_ZERO));
        return new ItemResult(CheckItem.pending_restart, pending.isEmpty() ? CheckStatus.OK : CheckStatus.CRITICAL,
                new ItemFacts.PendingRestart(pending, unanswered), perf);
    }

    /** The timeline now and the leader that is on it; both null when no member reports one. */
    record Timeline(Integer timeline, String leader) {
    }

    /**
     * The leader's timeline as its own PostgreSQL reports it (its /patroni): /cluster is each Patroni's view of
     * the DCS, up to a loop old, and right after a switchover may still name the old leader on the old timeline.
     * With no leader answering, /cluster's leader; with none there either, the highest timeline any member reports.
     */
    static Timeline currentTimeline(PatroniObservations o) {
        if (o.nodes() != null) {
            PatroniObservations.Node best = null;
            for (PatroniObservations.Node n : o.nodes().values()) {
                boolean leads = n.answered() && n.timeline() != null
                        && ("master".equals(n.role()) || "primary".equals(n.role()) || "standby_leader".equals(n.role()));
                if (leads && (best == null || n.timeline() > best.timeline())) {
                    best = n;
                }
            }
            if (best != null) {
                return new Timeline(best.timeline(), best.name());
            }
        }
        PatroniCluster c = o.cluster();
        return c.leader().filter(l -> l.timeline() != null).map(l -> new Timeline(l.timeline(), l.name()))
                .orElseGet(() -> new Timeline(c.members().stream().map(PatroniMember::timeline).filter(java.util.Objects::nonNull)
                        .max(Integer::compare).orElse(null), null));
    }

    /**
     * node_tl_has_changed, for the cluster: the first run after the timeline moved is WARNING, saying from
     * what to what, and records the new one; the run after is OK. check_patroni is CRITICAL until told to
     * save; a failover that Patroni handled is news, not an outage, and the next run clears it without a hand.
     */
    static ItemResult timelineChanged(PatroniObservations o, CheckState previous) {
        Timeline now = currentTimeline(o);
        boolean first = previous.timeline() == null;
        ItemFacts.TimelineChanged facts = new ItemFacts.TimelineChanged(previous.timeline(), now.timeline(), now.leader(), first);
        if (now.timeline() == null) {
            return new ItemResult(CheckItem.timeline_changed, CheckStatus.UNKNOWN, facts, List.of());
        }
        return new ItemResult(CheckItem.timeline_changed, facts.changed() ? CheckStatus.WARNING : CheckStatus.OK, facts, List.of(
                Measure.flag("is_timeline_changed", facts.changed(), Measure.NOT_ZERO, ""),
                Measure.count("timeline", now.timeline(), "", "")));
    }

    /** cluster_config_has_changed, with the same first-run and next-run rule as the timeline. */
    static ItemResult configChanged(PatroniObservations o, CheckState previous) {
        ConfigFingerprint now = ConfigFingerprint.of(o.config());
        boolean first = previous.configHash() == null;
        List<ItemFacts.SettingChange> changes = first || now.hash().equals(previous.configHash()) ? List.of()
                : now.changesSince(previous.configSettings());
        ItemFacts.ConfigChanged facts = new ItemFacts.ConfigChanged(previous.configHash(), now.hash(), first, changes);
        return new ItemResult(CheckItem.config_changed, facts.changed() ? CheckStatus.WARNING : CheckStatus.OK, facts, List.of(
                Measure.flag("is_configuration_changed", facts.changed(), Measure.NOT_ZERO, ""),
                Measure.count("changed_settings", changes.size(), "", "")));
    }

    /** The state to record after judging: each item that ran updates its own part, the rest is kept. */
    public static CheckState record(List<CheckItem> items, PatroniObservations o, CheckState previous) {
        CheckState next = previous;
        for (CheckItem i : items) {
            if (i == CheckItem.timeline_changed) {
                Integer now = currentTimeline(o).timeline();
                if (now != null) {
                    next = next.withTimeline(now);
                }
            } else if (i == CheckItem.config_changed) {
                next = next.withConfig(ConfigFingerprint.of(o.config()));
            }
        }
        return next;
    }
}
