package io.connectha.drill;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The failover drill's judge: what was observed (durations from the fault, counts, ratios) against the
 * thresholds, one check per criterion, in the order the report lists them. Pure, so that each criterion is
 * tested with numbers made by hand; the words of each criterion are the drill view's.
 *
 * @param thresholds what the drill ran with, kept so that the views can say what was required
 */
public record FailoverVerdict(Thresholds thresholds, List<Check> checks) {

    public enum Criterion {
        FAULT_APPLIED, LEADER_ACCEPTS_WRITES, ETCD_LEADER_ELECTED, CLIENT_RTO, LOST_WRITES, NO_SPLIT_BRAIN, ERROR_RATE, P95_LATENCY,
        OLD_LEADER_REJOINS, HEALTHY_AGAIN, PROBE_ERROR_RATE
    }

    public record Check(Criterion criterion, boolean passed) {
    }

    /** {@code maxErrorRate} is a ratio (0.05 for 5 %); it holds for the writes and for the HTTP probe. */
    public record Thresholds(Duration maxRto, long maxLostWrites, double maxErrorRate, Duration maxP95, Duration maxRejoin) {
    }

    /** Probes sent and failed; null in {@link Observed} when the drill had no HTTP probe. */
    public record Probes(long sent, long failed) {

        /** No probe answered at all counts as every probe failed. */
        public double errorRate() {
            return sent == 0 ? 1 : (double) failed / sent;
        }
    }

    /**
     * What the drill saw. Durations are from the fault, null when not observed before the drill's deadline;
     * {@code rejoin} and {@code healthy} are only looked for until the recovery watch's own deadline
     * ({@code --max-rejoin} from the restore), so being observed is what they are judged on.
     */
    public record Observed(FaultKind fault, boolean faultApplied, String oldLeader, String newLeader, Duration etcdLeader,
                           Duration clientRto, long lostWrites, long splitBrainWrites, double errorRate, Duration latencyP95,
                           Duration rejoin, Duration healthy, Probes probes) {

        public boolean leaderChanged() {
            return newLeader != null && !newLeader.equals(oldLeader);
        }
    }

    public static FailoverVerdict judge(Observed o, Thresholds t) {
        List<Check> c = new ArrayList<>();
        c.add(new Check(Criterion.FAULT_APPLIED, o.faultApplied()));
        c.add(new Check(Criterion.LEADER_ACCEPTS_WRITES, o.newLeader() != null && (o.leaderChanged() || o.fault().leaderMayStay())));
        if (o.fault().hitsEtcd()) {
            c.add(new Check(Criterion.ETCD_LEADER_ELECTED, within(o.etcdLeader(), t.maxRto())));
        }
        c.add(new Check(Criterion.CLIENT_RTO, within(o.clientRto(), t.maxRto())));
        c.add(new Check(Criterion.LOST_WRITES, o.lostWrites() <= t.maxLostWrites()));
        c.add(new Check(Criterion.NO_SPLIT_BRAIN, o.splitBrainWrites() == 0));
        c.add(new Check(Criterion.ERROR_RATE, o.errorRate() <= t.maxErrorRate()));
        c.add(new Check(Criterion.P95_LATENCY, o.latencyP95().compareTo(t.maxP95()) <= 0));
        if (o.leaderChanged()) {
            c.add(new Check(Criterion.OLD_LEADER_REJOINS, o.rejoin() != null));
        }
        c.add(new Check(Criterion.HEALTHY_AGAIN, o.healthy() != null));
        if (o.probes() != null) {
            c.add(new Check(Criterion.PROBE_ERROR_RATE, o.probes().errorRate() <= t.maxErrorRate()));
        }
        return new FailoverVerdict(t, List.copyOf(c));
    }

    public boolean passed() {
        return checks.stream().allMatch(Check::passed);
    }

    private static boolean within(Duration measured, Duration max) {
        return measured != null && measured.compareTo(max) <= 0;
    }
}
