package io.connectha.monitor;

import io.connectha.cluster.Problem;
import io.connectha.check.CheckState;
import io.connectha.status.ClusterStatus;
import io.connectha.status.MemberStatus;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * What changed between two rounds, as events. The first round is compared with a healthy cluster, so a
 * monitor started in the middle of an incident tells what is already wrong. The leader is not judged
 * here: it comes from etcd's leader key, watched ({@link Monitor}).
 */
final class EventDetector {

    private EventDetector() {
    }

    static List<Event> changes(Instant at, Round before, Round after) {
        return changes(at, before, after, null);
    }

    /**
     * @param keyHolder the leader key's holder as the watch last saw it: a member promoted since Patroni's view
     *                  was read does not stream, and is not a replica that stopped
     */
    static List<Event> changes(Instant at, Round before, Round after, String keyHolder) {
        List<Event> events = new ArrayList<>();
        ClusterStatus next = after.status();
        ClusterStatus prev = before == null ? null : before.status();
        String cluster = next.cluster();

        if (prev != null && prev.timeline() != null && next.timeline() != null && !prev.timeline().equals(next.timeline())) {
            events.add(Event.of(at, EventType.timeline_changed, cluster, "gather",
                    "timeline changed from " + prev.timeline() + " to " + next.timeline()).change(prev.timeline(), next.timeline()));
        }
        for (MemberStatus m : next.members()) {
            MemberStatus was = prev == null ? null : prev.members().stream().filter(x -> x.name().equals(m.name())).findFirst().orElse(null);
            String down = down(m, after.patroniSilent());
            String wasDown = was == null ? null : down(was, before.patroniSilent());
            if (down != null && (was == null || wasDown == null)) {
                events.add(Event.of(at, EventType.member_down, cluster, "gather", m.name() + " is down: " + down).member(m.name()));
            } else if (down == null && was != null && wasDown != null) {
                events.add(Event.of(at, EventType.member_up, cluster, "gather", m.name() + " is back: Patroni and PostgreSQL answer")
                        .member(m.name()));
            }
            boolean lagging = notStreaming(m, next, down) && !m.name().equals(keyHolder);
            boolean wasLagging = was != null && notStreaming(was, prev, wasDown);
            if (lagging && !wasLagging) {
                events.add(Event.of(at, EventType.replica_not_streaming, cluster, "gather", m.name() + " does not stream from "
                        + next.leader() + " (not streaming in its pg_stat_replication)").member(m.name()));
            } else if (!lagging && wasLagging && Boolean.TRUE.equals(m.streaming())) {
                events.add(Event.of(at, EventType.replica_streaming, cluster, "gather", m.name() + " streams from " + next.leader()
                        + " again").member(m.name()));
            }
            boolean over = has(next, "lag_over_threshold", m.name());
            boolean wasOver = prev != null && has(prev, "lag_over_threshold", m.name());
            if (over && !wasOver) {
                events.add(Event.of(at, EventType.lag_over, cluster, "gather", message(next, "lag_over_threshold", m.name()))
                        .member(m.name()).lag(m.lagBytes()));
            } else if (!over && wasOver && down == null) {
                events.add(Event.of(at, EventType.lag_under, cluster, "gather", m.name() + " is back under the lag threshold"
                        + (m.lagBytes() == null ? "" : " (" + m.lagBytes() + " bytes behind)")).member(m.name()).lag(m.lagBytes()));
            }
        }
        boolean quorum = next.etcd() == null || next.etcd().quorum();
        boolean hadQuorum = prev == null || prev.etcd() == null || prev.etcd().quorum();
        if (!quorum && hadQuorum) {
            events.add(Event.of(at, EventType.etcd_quorum_lost, cluster, "gather", "etcd has no quorum: " + next.etcd().healthy()
                    + " of " + next.etcd().endpoints().size() + " endpoints answer"));
        } else if (quorum && !hadQuorum) {
            events.add(Event.of(at, EventType.etcd_quorum_back, cluster, "gather", "etcd has its quorum again: "
                    + next.etcd().healthy() + " of " + next.etcd().endpoints().size() + " endpoints answer"));
        }
        boolean notLeader = has(next, "haproxy_write_not_leader", null);
        boolean wasNotLeader = prev != null && has(prev, "haproxy_write_not_leader", null);
        if (notLeader && !wasNotLeader) {
            events.add(Event.of(at, EventType.haproxy_write_not_leader, cluster, "gather", message(next, "haproxy_write_not_leader", null))
                    .change(null, next.haproxy() == null ? null : next.haproxy().writeReaches()));
        } else if (!notLeader && wasNotLeader && next.leader() != null && next.haproxy() != null
                && next.leader().equals(next.haproxy().writeReaches())) {
            events.add(Event.of(at, EventType.haproxy_write_leader, cluster, "gather", "HAProxy's write port reaches the leader "
                    + next.leader() + " again").change(null, next.leader()));
        }
        CheckState s0 = before == null ? null : before.state();
        CheckState s1 = after.state();
        if (s0 != null && s1 != null && s0.configHash() != null && s1.configHash() != null && !s0.configHash().equals(s1.configHash())) {
            events.add(Event.of(at, EventType.config_changed, cluster, "gather", "the DCS config changed: "
                    + settingsChanged(s0.configSettings(), s1.configSettings())));
        }
        return events;
    }

    /** Why a member is down, or null when it is not: its PostgreSQL or its own Patroni does not answer. */
    static String down(MemberStatus m, Map<String, String> patroniSilent) {
        List<String> why = new ArrayList<>();
        if (patroniSilent.containsKey(m.name())) {
            why.add("Patroni: " + patroniSilent.get(m.name()));
        }
        if (m.postgres() != null && !m.postgres().reachable()) {
            why.add("PostgreSQL: " + m.postgres().error());
        }
        return why.isEmpty() ? null : String.join("; ", why);
    }

    /** A replica that answers, under a known leader, and is not in its pg_stat_replication as streaming. */
    private static boolean notStreaming(MemberStatus m, ClusterStatus s, String down) {
        return down == null && s.leader() != null && !m.isLeader() && Boolean.FALSE.equals(m.streaming());
    }

    private static boolean has(ClusterStatus s, String code, String member) {
        return s.problems().stream().anyMatch(p -> p.code().equals(code) && Objects.equals(p.member(), member));
    }

    private static String message(ClusterStatus s, String code, String member) {
        return s.problems().stream().filter(p -> p.code().equals(code) && Objects.equals(p.member(), member)).map(Problem::message)
                .findFirst().orElse(code);
    }

    static String settingsChanged(Map<String, String> before, Map<String, String> after) {
        Map<String, String> b = before == null ? Map.of() : before;
        Map<String, String> a = after == null ? Map.of() : after;
        Set<String> keys = new TreeSet<>(b.keySet());
        keys.addAll(a.keySet());
        Set<String> changes = new LinkedHashSet<>();
        for (String k : keys) {
            if (!Objects.equals(b.get(k), a.get(k))) {
                changes.add(k + " " + (b.get(k) == null ? "(unset)" : b.get(k)) + " -> " + (a.get(k) == null ? "(unset)" : a.get(k)));
            }
        }
        return changes.isEmpty() ? "(a setting the fingerprint covers)" : String.join(", ", changes);
    }
}
