package io.connectha.drill;

import io.connectha.cluster.ClusterSpec;
import io.connectha.cluster.EtcdSpec;
import io.connectha.cluster.MemberSpec;
import io.connectha.error.ConnectError;
import io.connectha.status.ClusterStatus;
import io.connectha.status.StatusService;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

import static io.connectha.drill.Drills.SAMPLE_MS;
import static io.connectha.drill.Drills.ms;
import static io.connectha.drill.Drills.sleep;

/**
 * What the failover drill observed after the fault, and when: every 50 ms until the leader is confirmed
 * and HAProxy routes to it, the phases of the change ({@link #phases}); then, every 200 ms while the load
 * goes on and until the cluster has recovered, the old leader streaming again and the cluster healthy
 * ({@link #recovery}). Times are from the fault, to the millisecond.
 */
final class FailoverSampler {

    /** First times from the fault; null when not seen before the deadline. {@code newLeader}: the leader confirmed. */
    record Phases(Duration detection, Duration newLeaderKey, Duration writable, Duration haproxy, Duration etcdLeader,
                  String newLeader) {
    }

    /** The old leader streaming from the new one again, and the whole cluster healthy again; null when not seen. */
    record Recovery(Duration rejoin, Duration healthy) {
    }

    private final ClusterSpec spec;
    private final String superPassword;
    private final long faultNanos;

    FailoverSampler(ClusterSpec spec, String superPassword, long faultNanos) {
        this.spec = spec;
        this.superPassword = superPassword;
        this.faultNanos = faultNanos;
    }

    /**
     * Samples until HAProxy routes to a confirmed leader (and, for an etcd fault, etcd has another raft leader), or the
     * deadline from the fault. {@code applied} turns true once the fault's action has returned.
     */
    Phases phases(MemberSpec old, String target, FaultKind kind, Duration deadline, AtomicBoolean applied) {
        return phases(old, target, kind, deadline, applied, FaultHold.notHeld(kind, faultNanos));
    }

    /**
     * As above, for a held fault too: {@code hold} is told each sample whether the leader has settled and restores the
     * fault when it is due; sampling goes on until it is restored, and, once it is, up to {@code deadline} after the restore
     * (an etcd outage gets its leader back only then).
     */
    Phases phases(MemberSpec old, String target, FaultKind kind, Duration deadline, AtomicBoolean applied, FaultHold hold) {
        Long detection = null;
        Long newKey = null;
        Long writable = null;
        Long haproxy = null;
        Long etcdLeader = null;
        String newLeader = null;
        String killedEtcd = kind.target() == FaultKind.Target.ETCD_LEADER ? spec.etcd().members().stream().filter(e -> e.name().equals(target))
                .map(EtcdSpec.EtcdMemberSpec::clientUrl).findFirst().orElse(null) : null;
        long end = faultNanos + deadline.toNanos();
        try (ClusterProbe probe = new ClusterProbe(spec, superPassword)) {
            while (true) {
                long tick = System.nanoTime();
                boolean settled = haproxy != null && (killedEtcd == null || etcdLeader != null);
                hold.tick(tick, settled);
                if (settled && hold.restored()) {
                    break;
                }
                Long restored = hold.restoredNanos();
                if (hold.restored() && tick >= Math.max(end, restored == null ? end : restored + deadline.toNanos())) {
                    break;
                }
                try {
                    Optional<String> holder = probe.leaderKeyHolder();
                    if (detection == null && (holder.isEmpty() || !holder.get().equals(old.name()))) {
                        detection = ms(tick - faultNanos);
                    }
                    if (newKey == null && holder.isPresent() && !holder.get().equals(old.name())) {
                        newKey = ms(tick - faultNanos);
                    }
                } catch (ConnectError ignored) {
                    // etcd busy or down for a moment: the next sample
                }
                if (killedEtcd != null && etcdLeader == null && probe.raftLeaderOtherThan(killedEtcd)) {
                    etcdLeader = ms(System.nanoTime() - faultNanos);
                }
                // a fault that the leader may survive counts only once it has taken effect: pg_ctl stop takes a moment,
                // and the old PostgreSQL answering before it has stopped is not a recovery
                if (writable == null && (applied.get() || !kind.leaderMayStay())) {
                    boolean sameCounts = hold.sameLeaderCounts(System.nanoTime());
                    Optional<String> leader = kind.leaderMayStay() ? probe.patroniLeader().filter(l -> (sameCounts || !l.equals(old.name()))
                            && probe.node(probe.member(l)).map(n -> !n.inRecovery()).orElse(false)) : probe.writableLeaderOtherThan(old.name());
                    if (leader.isPresent()) {
                        newLeader = leader.get();
                        writable = ms(System.nanoTime() - faultNanos);
                    }
                }
                if (newLeader != null && haproxy == null && probe.haproxyWriteReaches().filter(newLeader::equals).isPresent()) {
                    haproxy = ms(System.nanoTime() - faultNanos);
                }
                sleep(Math.max(0, SAMPLE_MS - ms(System.nanoTime() - tick)));
            }
        }
        return new Phases(millis(detection), millis(newKey), millis(writable), millis(haproxy), millis(etcdLeader), newLeader);
    }

    /**
     * Watches the cluster through {@code status} until it has recovered or {@code maxRejoin} has passed, and stops the
     * load at {@code loadUntilNanos} (meanwhile or after). {@code newLeader} is null when the leader did not change:
     * then only the cluster's health is watched.
     */
    Recovery recovery(StatusService status, String oldLeader, String newLeader, long loadUntilNanos, Duration maxRejoin,
                      FailoverLoad load) {
        Long rejoin = null;
        Long healthy = null;
        long watchUntil = System.nanoTime() + maxRejoin.toNanos();
        boolean loadRunning = true;
        try (StatusService.Session session = status.openSession()) {
            while (true) {
                long now = System.nanoTime();
                if (loadRunning && now >= loadUntilNanos) {
                    load.stop();
                    loadRunning = false;
                }
                boolean recovered = healthy != null && (newLeader == null || rejoin != null);
                boolean watching = now < watchUntil && !recovered;
                if (!loadRunning && !watching) {
                    break;
                }
                if (watching) {
                    ClusterStatus s = session.check();
                    long at = ms(System.nanoTime() - faultNanos);
                    if (rejoin == null && newLeader != null && newLeader.equals(s.leader()) && s.members().stream()
                            .anyMatch(m -> m.name().equals(oldLeader) && Boolean.TRUE.equals(m.streaming()))) {
                        rejoin = at;
                    }
                    if (healthy == null && s.healthy()) {
                        healthy = at;
                    }
                }
                sleep(200);
            }
        }
        return new Recovery(millis(rejoin), millis(healthy));
    }

    private static Duration millis(Long ms) {
        return ms == null ? null : Duration.ofMillis(ms);
    }
}
