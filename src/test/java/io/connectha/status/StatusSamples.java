package io.connectha.status;

import java.util.function.UnaryOperator;

/**
 * Judged statuses of the hand-made three-member cluster ({@link Observed}: pg1 the leader, pg2 and pg3
 * streaming), for tests outside this package that need a {@link ClusterStatus} as the judgment makes it.
 */
public final class StatusSamples {

    private StatusSamples() {
    }

    public static ClusterStatus healthy() {
        return StatusJudgment.judge(Observed.healthy().build());
    }

    public static ClusterStatus postgresDown(String member) {
        return of(o -> o.postgresDown(member));
    }

    public static ClusterStatus notStreaming(String member) {
        return of(o -> o.notStreaming(member));
    }

    public static ClusterStatus lag(String member, long bytes) {
        return of(o -> o.lag(member, bytes));
    }

    public static ClusterStatus etcdDown(int... endpoints) {
        return of(o -> o.etcdDown(endpoints));
    }

    /** HAProxy's write port reaches {@code member} rather than the leader pg1. */
    public static ClusterStatus writePortReaches(String member) {
        return of(o -> o.writePort(Outcome.answered(member)));
    }

    /** The same status with another timeline, as after a failover. */
    public static ClusterStatus onTimeline(ClusterStatus s, int timeline) {
        return new ClusterStatus(s.cluster(), s.scope(), s.checkedAt(), s.took(), s.leader(), timeline, s.paused(),
                s.scheduledSwitchover(), s.members(), s.slots(), s.etcd(), s.haproxy(), s.pgbouncer(), s.dcsConfig(), s.problems());
    }

    private static ClusterStatus of(UnaryOperator<Observed> change) {
        return StatusJudgment.judge(change.apply(Observed.healthy()).build());
    }
}
