package io.connectha.drill;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The failover drill's judge: what was observed (durations from the fault, counts, ratios) against the
 * thresholds, one check per criterion, in the order the report lists them. Pure, so that each criterion is
 * tested with numbers made by hand; the words of each criterion are the drill view's. What each fault must
 * lead to is {@link #expect}.
 *
 * @param thresholds what the drill ran with, kept so that the views can say what was required
 */
public record FailoverVerdict(Thresholds thresholds, List<Check> checks) {

    public enum Criterion {
        FAULT_APPLIED, LEADER_ACCEPTS_WRITES, ETCD_LEADER_ELECTED, CLIENT_RTO, LOST_WRITES, NO_SPLIT_BRAIN, ERROR_RATE, P95_LATENCY,
        OLD_LEADER_REJOINS, HEALTHY_AGAIN, PROBE_ERROR_RATE, LEADER_STAYS, WRITE_WINDOW_LOST,
        POOLER_NO_FAILED_WRITES, POOLER_CLIENT_WAIT
    }

    public record Check(Criterion criterion, boolean passed) {
    }

    /**
     * {@code maxErrorRate} is a ratio (0.05 for 5 %); it holds for the writes and for the HTTP probe.
     * {@code windowLossBounded}: --max-lost-writes was given, so that it bounds the old leader's lost window writes in
     * asynchronous mode too (otherwise they are reported, not judged, there).
     */
    public record Thresholds(Duration maxRto, long maxLostWrites, double maxErrorRate, Duration maxP95, Duration maxRejoin,
                             boolean windowLossBounded) {

        public Thresholds(Duration maxRto, long maxLostWrites, double maxErrorRate, Duration maxP95, Duration maxRejoin) {
            this(maxRto, maxLostWrites, maxErrorRate, maxP95, maxRejoin, false);
        }
    }

    /** Probes sent and failed; null in {@link Observed} when the drill had no HTTP probe. */
    public record Probes(long sent, long failed) {

        /** No probe answered at all counts as every probe failed. */
        public double errorRate() {
            return sent == 0 ? 1 : (double) failed / sent;
        }
    }

    /** What the leader must do after a fault. */
    public enum Leader {
        /** Another member must lead: the old one lost its host, its Patroni, or its key. */
        MUST_CHANGE,
        /** Either: Patroni restarts PostgreSQL in place, or a failover is as right as staying. */
        MAY_STAY,
        /** The fault misses the leader: a change of leader would be a needless failover. */
        MUST_STAY
    }

    /**
     * What a fault must lead to: whether the leader must change, may stay or must stay; whether writes on the old leader
     * after the new one's first (through the drill's clients) count against it (always: Patroni's promise is one leader);
     * and whether the old leader's write window is measured (held faults on the leader: its PostgreSQL may go on taking
     * writes from clients on its side while another member is promoted).
     */
    public record Expectation(Leader leader, boolean splitBrainIsViolation, boolean writeWindow) {
    }

    public static Expectation expect(FaultKind kind) {
        Leader leader = kind == FaultKind.PARTITION_REPLICA ? Leader.MUST_STAY : kind.leaderMayStay() ? Leader.MAY_STAY : Leader.MUST_CHANGE;
        // a delayed leader is not cut off from anyone: nothing for its own side to write to in between
        return new Expectation(leader, true, kind.held() && kind.target() == FaultKind.Target.LEADER && kind != FaultKind.LATENCY_LEADER);
    }

    /**
     * The old leader's write window as judged: the window writes its own-side clients had acknowledged that are missing
     * afterwards, and whether the cluster ran synchronous_mode (null: unknown, judged as asynchronous).
     */
    public record Window(long lost, Boolean synchronous) {
    }

    /**
     * A switchover with PgBouncer paused (--pause-pooler): the writes that failed, the longest any client went without an
     * acknowledged write, and the promotion (the switchover request to the new leader confirmed; null when not confirmed).
     * Its promise: clients see latency, not errors, and wait no more than the promotion and {@link #CLIENT_WAIT_MARGIN}.
     */
    public record Pooled(long failedWrites, Duration longestClientWait, Duration promotion) {
    }

    /** What a paused switchover may add to the promotion in the clients' wait: the pause, the path, the resume. */
    public static final Duration CLIENT_WAIT_MARGIN = Duration.ofSeconds(1);

    /**
     * What the drill saw. Durations are from the fault, null when not observed before the drill's deadline;
     * {@code rejoin} and {@code healthy} are only looked for until the recovery watch's own deadline
     * ({@code --max-rejoin} from the restore), so being observed is what they are judged on. {@code window} is null when
     * the fault has no write window.
     */
    public record Observed(FaultKind fault, boolean faultApplied, String oldLeader, String newLeader, Duration etcdLeader,
                           Duration clientRto, long lostWrites, long splitBrainWrites, double errorRate, Duration latencyP95,
                           Duration rejoin, Duration healthy, Probes probes, Window window, Pooled pooled) {

        public Observed(FaultKind fault, boolean faultApplied, String oldLeader, String newLeader, Duration etcdLeader, Duration clientRto,
                        long lostWrites, long splitBrainWrites, double errorRate, Duration latencyP95, Duration rejoin, Duration healthy,
                        Probes probes, Window window) {
            this(fault, faultApplied, oldLeader, newLeader, etcdLeader, clientRto, lostWrites, splitBrainWrites, errorRate, latencyP95,
                    rejoin, healthy, probes, window, null);
        }

        public Observed(FaultKind fault, boolean faultApplied, String oldLeader, String newLeader, Duration etcdLeader, Duration clientRto,
                        long lostWrites, long splitBrainWrites, double errorRate, Duration latencyP95, Duration rejoin, Duration healthy,
                        Probes probes) {
            this(fault, faultApplied, oldLeader, newLeader, etcdLeader, clientRto, lostWrites, splitBrainWrites, errorRate, latencyP95,
                    rejoin, healthy, probes, null);
        }

        public boolean leaderChanged() {
            return newLeader != null && !newLeader.equals(oldLeader);
        }
    }

    public static FailoverVerdict judge(Observed o, Thresholds t) {
        Expectation e = expect(o.fault());
        List<Check> c = new ArrayList<>();
        c.add(new Check(Criterion.FAULT_APPLIED, o.faultApplied()));
        c.add(new Check(Criterion.LEADER_ACCEPTS_WRITES, o.newLeader() != null && (o.leaderChanged() || e.leader() != Leader.MUST_CHANGE)));
        if (e.leader() == Leader.MUST_STAY) {
            c.add(new Check(Criterion.LEADER_STAYS, o.newLeader() != null && !o.leaderChanged()));
        }
        if (o.fault().target() == FaultKind.Target.ETCD_LEADER) {
            c.add(new Check(Criterion.ETCD_LEADER_ELECTED, within(o.etcdLeader(), t.maxRto())));
        }
        c.add(new Check(Criterion.CLIENT_RTO, within(o.clientRto(), t.maxRto())));
        c.add(new Check(Criterion.LOST_WRITES, o.lostWrites() <= t.maxLostWrites()));
        c.add(new Check(Criterion.NO_SPLIT_BRAIN, !e.splitBrainIsViolation() || o.splitBrainWrites() == 0));
        if (e.writeWindow() && o.window() != null) {
            c.add(new Check(Criterion.WRITE_WINDOW_LOST, windowHolds(o.window(), t)));
        }
        c.add(new Check(Criterion.ERROR_RATE, o.errorRate() <= t.maxErrorRate()));
        c.add(new Check(Criterion.P95_LATENCY, o.latencyP95().compareTo(t.maxP95()) <= 0));
        if (o.leaderChanged()) {
            c.add(new Check(Criterion.OLD_LEADER_REJOINS, o.rejoin() != null));
        }
        c.add(new Check(Criterion.HEALTHY_AGAIN, o.healthy() != null));
        if (o.pooled() != null) {
            Pooled p = o.pooled();
            c.add(new Check(Criterion.POOLER_NO_FAILED_WRITES, p.failedWrites() == 0));
            c.add(new Check(Criterion.POOLER_CLIENT_WAIT, p.promotion() != null && p.longestClientWait() != null
                    && p.longestClientWait().compareTo(p.promotion().plus(CLIENT_WAIT_MARGIN)) <= 0));
        }
        if (o.probes() != null) {
            c.add(new Check(Criterion.PROBE_ERROR_RATE, o.probes().errorRate() <= t.maxErrorRate()));
        }
        return new FailoverVerdict(t, List.copyOf(c));
    }

    /**
     * Synchronous mode promises that an acknowledged write is on a replica: the isolated old leader's commits must block,
     * so any lost window write breaks it. Asynchronous mode loses them by design: reported, and judged only when
     * --max-lost-writes was given.
     */
    static boolean windowHolds(Window w, Thresholds t) {
        if (Boolean.TRUE.equals(w.synchronous())) {
            return w.lost() == 0;
        }
        return !t.windowLossBounded() || w.lost() <= t.maxLostWrites();
    }

    public boolean passed() {
        return checks.stream().allMatch(Check::passed);
    }

    private static boolean within(Duration measured, Duration max) {
        return measured != null && measured.compareTo(max) <= 0;
    }
}
