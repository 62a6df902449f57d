package io.connectha.drill;

import io.connectha.process.Progress;

import java.time.Duration;
import java.util.Optional;

/**
 * How long a held fault (a partition, a freeze, an etcd outage) lasts, and its restore. With --fault-for it is restored
 * that long after the fault; otherwise once the leader is settled and at least {@code minHold} (Patroni's ttl +
 * loop_wait: the time Patroni may take to act on it) has passed, and at the latest at {@code cap}. The restore runs in
 * its own thread, so that the sampler goes on measuring while it takes effect; a fault that is not held has nothing to
 * restore here (the drill puts back what it stopped itself).
 */
final class FaultHold {

    private final FaultKind kind;
    private final Optional<FaultInjector> faults;
    private final String target;
    private final long faultNanos;
    private final Duration faultFor;
    private final Duration minHold;
    private final Duration cap;
    private final Progress progress;
    private final boolean holds;
    private volatile Long appliedNanos;
    private volatile Long restoreStartNanos;
    private volatile Long restoredNanos;
    private Thread restoring;

    /**
     * @param faultFor --fault-for; null: until the leader is settled, at least {@code minHold}, at most {@code cap}
     */
    FaultHold(FaultKind kind, Optional<FaultInjector> faults, String target, long faultNanos, Duration faultFor, Duration minHold,
              Duration cap, Progress progress) {
        this(kind, faults, target, faultNanos, faultFor, minHold, cap, progress, true);
    }

    private FaultHold(FaultKind kind, Optional<FaultInjector> faults, String target, long faultNanos, Duration faultFor, Duration minHold,
                      Duration cap, Progress progress, boolean holds) {
        this.holds = holds;
        this.kind = kind;
        this.faults = faults;
        this.target = target;
        this.faultNanos = faultNanos;
        this.faultFor = faultFor;
        this.minHold = minHold;
        this.cap = cap;
        this.progress = progress;
    }

    /** For a caller that restores the fault itself: sampling as for a fault that is done once applied. */
    static FaultHold notHeld(FaultKind kind, long faultNanos) {
        return new FaultHold(kind, Optional.empty(), "", faultNanos, null, Duration.ZERO, Duration.ZERO, null, false);
    }

    boolean held() {
        return holds && kind.held();
    }

    /** The fault's action has returned: the hold starts. */
    void applied(long nanos) {
        appliedNanos = nanos;
    }

    /** Restores when it is due: {@code settled} says whether the sampler has seen the leader settle. */
    void tick(long now, boolean settled) {
        if (!held() || appliedNanos == null || restoring != null) {
            return;
        }
        long since = now - faultNanos;
        boolean due = faultFor != null ? since >= faultFor.toNanos()
                : (settled || kind == FaultKind.DCS_OUTAGE) && since >= minHold.toNanos() || since >= cap.toNanos();
        if (due) {
            restoreAsync();
        }
    }

    /**
     * Whether the leader that was there before the fault counts as settled now: during an etcd outage, only once etcd is
     * back (Patroni demotes it meanwhile unless failsafe_mode is on); for the other held faults, once Patroni has had the
     * time to act (ttl + loop_wait), so that a leader that is about to lose its key is not taken for one that stays.
     */
    boolean sameLeaderCounts(long now) {
        if (!held()) {
            return true;
        }
        if (kind == FaultKind.DCS_OUTAGE) {
            return restored();
        }
        return restored() || now - faultNanos >= minHold.toNanos();
    }

    private synchronized void restoreAsync() {
        if (restoring != null) {
            return;
        }
        restoreStartNanos = System.nanoTime();
        progress.info("Restore: " + kind.option() + " on " + target + " at " + Drills.ms(restoreStartNanos - faultNanos) + " ms from the fault");
        restoring = new Thread(() -> {
            try {
                faults.orElseThrow().restore(kind, target);
            } catch (RuntimeException e) {
                progress.warn("could not restore " + kind.option() + " on " + target + ": " + e.getMessage());
            } finally {
                restoredNanos = System.nanoTime();
            }
        }, "drill-restore");
        restoring.start();
    }

    /** Restores now unless already done, and waits for it (a fault command has 60 s). */
    void restoreNow() {
        if (!held()) {
            return;
        }
        restoreAsync();
        try {
            restoring.join(70_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Whether the restore has returned; always for a fault that is not held. */
    boolean restored() {
        return !held() || restoredNanos != null;
    }

    /** When the restore returned (System.nanoTime); null when not held or not yet. */
    Long restoredNanos() {
        return restoredNanos;
    }

    /** From the fault to the restore's return; null when not held or not restored. */
    Duration restoredAt() {
        return restoredNanos == null ? null : Duration.ofMillis(Drills.ms(restoredNanos - faultNanos));
    }

    /** From the fault's action returning to the restore's start: how long it was held; null when not held or not restored. */
    Duration heldFor() {
        return restoreStartNanos == null || appliedNanos == null ? null : Duration.ofMillis(Drills.ms(restoreStartNanos - appliedNanos));
    }
}
