package io.connectha.drill;

import java.time.Duration;
import java.time.Instant;

/**
 * One cycle of a chaos campaign: a fault applied, held, restored, and the cluster healed. Durations are from the
 * fault's instant unless said otherwise; null when not observed.
 *
 * @param number           1, 2, ...
 * @param target           what the fault hit: a member, etcd's raft leader, or several names joined by commas
 * @param faultError       why the fault (or its restore) failed; null when it did not
 * @param oldLeader        the leader when the cycle began
 * @param newLeader        the leader once the cluster healed (or, when it did not, the last one status named); may be null
 * @param leaderKeyChange  another member held the leader key
 * @param writable         a leader (the same or another) accepted writes again, within the hold
 * @param clientRto        the longest time within the cycle in which no client got any write acknowledged
 * @param acknowledged     writes acknowledged within the cycle (from its fault to the next cycle's)
 * @param failed           writes that failed within the cycle
 * @param lost             of the cycle's acknowledged writes, those missing on the leader at the end
 * @param splitBrainWrites writes the old leader acknowledged after the new leader acknowledged its first (as drill failover)
 * @param healed           from the restore to preflight passing again; null when it did not within the deadline
 * @param rebuilt          replicas rebuilt (patroni reinit) to heal, with --rebuild-diverged: they could not stream again by themselves
 */
public record ChaosCycle(int number, FaultKind fault, String target, Instant startedAt, String faultError, String oldLeader,
                         String newLeader, Duration leaderKeyChange, Duration writable, Duration clientRto, long acknowledged, long failed,
                         long lost, long splitBrainWrites, Duration healed, java.util.List<String> rebuilt) {

    public ChaosCycle(int number, FaultKind fault, String target, Instant startedAt, String faultError, String oldLeader, String newLeader,
                      Duration leaderKeyChange, Duration writable, Duration clientRto, long acknowledged, long failed, long lost,
                      long splitBrainWrites, Duration healed) {
        this(number, fault, target, startedAt, faultError, oldLeader, newLeader, leaderKeyChange, writable, clientRto, acknowledged, failed,
                lost, splitBrainWrites, healed, java.util.List.of());
    }

    public boolean applied() {
        return faultError == null;
    }

    public boolean didHeal() {
        return healed != null;
    }

    /** A cycle that lost an acknowledged write, showed split-brain writes, or did not heal. */
    public boolean violated() {
        return lost > 0 || splitBrainWrites > 0 || !didHeal();
    }
}
