package io.connectha.dashboard;

import io.connectha.status.ClusterStatus;
import io.connectha.status.MemberStatus;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What the dashboard knows, built from successive {@link ClusterStatus} snapshots: the latest one,
 * when each component last answered (so that old data is labelled as old, never shown as current),
 * a short lag history per member, and the events found by comparing each snapshot with the one
 * before. No I/O and no clock of its own: the caller says what time it is, so tests can replay a
 * sequence of snapshots.
 */
public final class DashboardModel {

    /** Lag thresholds in bytes: crossing either one, up or down, is an event. */
    public record LagThresholds(long warnBytes, long criticalBytes) {
        /** Warn at a quarter of maximum_lag_on_failover: early enough to act before the replica stops being a failover candidate. */
        public static LagThresholds fromMaximumLagOnFailover(long bytes) {
            return new LagThresholds(Math.max(1, bytes / 4), bytes);
        }

        public Level level(Long lagBytes) {
            if (lagBytes == null || lagBytes <= warnBytes) {
                return Level.OK;
            }
            return lagBytes > criticalBytes ? Level.CRITICAL : Level.WARN;
        }
    }

    public enum Level { OK, WARN, CRITICAL }

    public enum EventKind { LEADER, MEMBER_DOWN, MEMBER_UP, LAG, COMPONENT_DOWN, COMPONENT_UP, PAUSE, TIMELINE, ACTION }

    /**
     * Something that changed between two snapshots, or something the operator did.
     *
     * @param lagBytes the lag at a threshold crossing (shown in units by the renderer); null for other events
     */
    public record Event(Instant at, EventKind kind, Level level, String text, Long lagBytes) {
        Event(Instant at, EventKind kind, Level level, String text) {
            this(at, kind, level, text, null);
        }
    }

    /** The dashboard's components, each with its own "last seen". */
    public static final String ETCD = "etcd", HAPROXY = "HAProxy", PGBOUNCER = "PgBouncer";

    /** How many lag values the trend keeps: one per refresh, so at 1 s about half a minute. */
    public static final int TREND_LENGTH = 30;
    private static final int EVENTS_KEPT = 200;

    private final LagThresholds thresholds;
    private ClusterStatus latest;
    private Instant latestAt;
    private final Map<String, Instant> lastSeen = new HashMap<>();
    /** The last snapshot in which each component answered: shown, with its age, while it does not. */
    private ClusterStatus.Etcd lastEtcd;
    private ClusterStatus.Haproxy lastHaproxy;
    private ClusterStatus.Pgbouncer lastPgbouncer;
    /** LinkedList, not ArrayDeque: an unknown lag is kept as a null gap. */
    private final Map<String, LinkedList<Long>> lagHistory = new LinkedHashMap<>();
    private final Deque<Event> events = new ArrayDeque<>();

    public DashboardModel(LagThresholds thresholds) {
        this.thresholds = thresholds;
    }

    public LagThresholds thresholds() {
        return thresholds;
    }

    /** Takes a new snapshot, received at {@code now}. */
    public synchronized void accept(ClusterStatus s, Instant now) {
        ClusterStatus before = latest;
        if (before != null) {
            compare(before, s, now);
        }
        for (MemberStatus m : s.members()) {
            if (memberUp(m)) {
                lastSeen.put(memberKey(m.name()), now);
            }
            LinkedList<Long> history = lagHistory.computeIfAbsent(m.name(), k -> new LinkedList<>());
            // a gap (null) keeps its place, so the trend's time axis stays regular
            history.addLast(m.isLeader() ? Long.valueOf(0) : m.lagBytes());
            while (history.size() > TREND_LENGTH) {
                history.removeFirst();
            }
        }
        if (etcdUp(s.etcd())) {
            lastSeen.put(ETCD, now);
            lastEtcd = s.etcd();
        }
        if (s.haproxy().reachable()) {
            lastSeen.put(HAPROXY, now);
            lastHaproxy = s.haproxy();
        }
        if (s.pgbouncer().reachable()) {
            lastSeen.put(PGBOUNCER, now);
            lastPgbouncer = s.pgbouncer();
        }
        latest = s;
        latestAt = now;
    }

    /** Something the operator did from the dashboard (a switchover, a pause), kept with the cluster's events. */
    public synchronized void note(Instant at, Level level, String text) {
        add(new Event(at, EventKind.ACTION, level, text));
    }

    private void compare(ClusterStatus a, ClusterStatus b, Instant now) {
        if (!Objects.equals(a.leader(), b.leader())) {
            add(new Event(now, EventKind.LEADER, b.leader() == null ? Level.CRITICAL : Level.WARN,
                    b.leader() == null ? "no leader (was " + a.leader() + ")"
                            : a.leader() == null ? "leader is " + b.leader() : "leader changed: " + a.leader() + " -> " + b.leader()));
        }
        if (a.timeline() != null && b.timeline() != null && !a.timeline().equals(b.timeline())) {
            add(new Event(now, EventKind.TIMELINE, Level.OK, "timeline " + a.timeline() + " -> " + b.timeline()));
        }
        if (a.paused() != b.paused()) {
            add(new Event(now, EventKind.PAUSE, b.paused() ? Level.WARN : Level.OK,
                    b.paused() ? "Patroni paused (maintenance mode)" : "Patroni resumed"));
        }
        Map<String, MemberStatus> previous = new HashMap<>();
        a.members().forEach(m -> previous.put(m.name(), m));
        for (MemberStatus m : b.members()) {
            MemberStatus p = previous.get(m.name());
            if (p == null) {
                continue;
            }
            if (memberUp(p) && !memberUp(m)) {
                add(new Event(now, EventKind.MEMBER_DOWN, Level.CRITICAL, m.name() + " down: " + m.state()));
            } else if (!memberUp(p) && memberUp(m)) {
                add(new Event(now, EventKind.MEMBER_UP, Level.OK, m.name() + " up again: " + m.state()));
            }
            if (!m.isLeader() && !p.isLeader()) {
                if (Boolean.TRUE.equals(p.streaming()) && Boolean.FALSE.equals(m.streaming()) && memberUp(m)) {
                    add(new Event(now, EventKind.MEMBER_DOWN, Level.CRITICAL, m.name() + " stopped streaming"));
                } else if (Boolean.FALSE.equals(p.streaming()) && Boolean.TRUE.equals(m.streaming()) && memberUp(p)) {
                    // (a member that comes back up and streams already has its "up again" event)
                    add(new Event(now, EventKind.MEMBER_UP, Level.OK, m.name() + " streaming again"));
                }
                Level was = thresholds.level(p.lagBytes());
                Level is = thresholds.level(m.lagBytes());
                // an unknown lag is not a crossing: the member-down event already says why it is unknown
                if (was != is && p.lagBytes() != null && m.lagBytes() != null) {
                    boolean rising = is.ordinal() > was.ordinal();
                    String threshold = (rising ? is : was) == Level.CRITICAL ? "critical" : "warning";
                    add(new Event(now, EventKind.LAG, is, m.name() + " lag " + (rising ? "above " : "back below ") + threshold
                            + " threshold", m.lagBytes()));
                }
            }
        }
        component(ETCD, etcdUp(a.etcd()), etcdUp(b.etcd()), now);
        component(HAPROXY, a.haproxy().reachable(), b.haproxy().reachable(), now);
        component(PGBOUNCER, a.pgbouncer().reachable(), b.pgbouncer().reachable(), now);
        if (a.haproxy().writeReaches() != null && b.haproxy().writeReaches() != null
                && !a.haproxy().writeReaches().equals(b.haproxy().writeReaches())) {
            add(new Event(now, EventKind.LEADER, Level.OK, "HAProxy write port now reaches " + b.haproxy().writeReaches()));
        }
    }

    private void component(String name, boolean wasUp, boolean isUp, Instant now) {
        if (wasUp && !isUp) {
            add(new Event(now, EventKind.COMPONENT_DOWN, Level.CRITICAL, name + " does not answer"));
        } else if (!wasUp && isUp) {
            add(new Event(now, EventKind.COMPONENT_UP, Level.OK, name + " answers again"));
        }
    }

    private void add(Event e) {
        events.addLast(e);
        while (events.size() > EVENTS_KEPT) {
            events.removeFirst();
        }
    }

    static boolean memberUp(MemberStatus m) {
        return m.patroni().reachable() && m.postgres().reachable();
    }

    private static boolean etcdUp(ClusterStatus.Etcd e) {
        return e.healthy() > 0;
    }

    private static String memberKey(String name) {
        return "member:" + name;
    }

    // ------------------------------------------------------------------ reading

    public synchronized ClusterStatus latest() {
        return latest;
    }

    /** When the latest snapshot arrived; null before the first. */
    public synchronized Instant latestAt() {
        return latestAt;
    }

    /** When this member last answered (Patroni and PostgreSQL both); null if never. */
    public synchronized Instant memberLastSeen(String member) {
        return lastSeen.get(memberKey(member));
    }

    /** When this component ({@link #ETCD}, {@link #HAPROXY}, {@link #PGBOUNCER}) last answered; null if never. */
    public synchronized Instant componentLastSeen(String component) {
        return lastSeen.get(component);
    }

    public synchronized ClusterStatus.Etcd lastAnsweredEtcd() {
        return lastEtcd;
    }

    public synchronized ClusterStatus.Haproxy lastAnsweredHaproxy() {
        return lastHaproxy;
    }

    public synchronized ClusterStatus.Pgbouncer lastAnsweredPgbouncer() {
        return lastPgbouncer;
    }

    /** Recent lag values of a member, oldest first; null where it was unknown. */
    public synchronized List<Long> lagTrend(String member) {
        List<Long> h = lagHistory.get(member);
        return h == null ? List.of() : new ArrayList<>(h);
    }

    /** Events, oldest first. */
    public synchronized List<Event> events() {
        return new ArrayList<>(events);
    }

    /** "last seen 12 s ago", or "never seen" for something that has not answered since the dashboard started. */
    public static String lastSeenText(Instant lastSeen, Instant now) {
        if (lastSeen == null) {
            return "never seen";
        }
        long seconds = Math.max(0, Duration.between(lastSeen, now).toSeconds());
        if (seconds < 120) {
            return "last seen " + seconds + " s ago";
        }
        if (seconds < 7200) {
            return "last seen " + seconds / 60 + " min ago";
        }
        return "last seen " + seconds / 3600 + " h ago";
    }
}
