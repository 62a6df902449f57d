package io.connectha.drill;

import io.connectha.error.ConnectError;
import io.connectha.process.Progress;
import io.connectha.status.ClusterStatus;
import io.connectha.cluster.Problem;
import io.connectha.status.StatusService;

import java.time.Duration;

/**
 * A drill's preflight, through {@code connect ha status}: a single leader, every replica streaming per
 * {@code pg_stat_replication} with its replay LSN close to the leader's, HAProxy's write port on the
 * leader, Patroni not paused. A replica that Patroni calls "running" but that does not stream yet (a
 * freshly rejoined one does so for about 12 s) fails it: a drill in that window would lose writes a real
 * failure would not.
 */
public final class Preflight {

    private Preflight() {
    }

    /** The cluster's status when it passes; otherwise a failure that names every reason. */
    public static ClusterStatus require(StatusService status) {
        ClusterStatus s = status.check();
        if (!s.healthy()) {
            throw new ConnectError(ConnectError.Kind.FAILURE, "preflight failed, no drill: " + reasons(s));
        }
        return s;
    }

    /** Waits (between repeats, after a drill) until preflight passes, or fails with the last reasons. */
    public static ClusterStatus await(StatusService status, Duration deadline, Progress progress) {
        long end = System.nanoTime() + deadline.toNanos();
        ClusterStatus s = status.check();
        if (!s.healthy()) {
            progress.info("Waiting for preflight to pass: " + reasons(s));
        }
        while (!s.healthy()) {
            if (System.nanoTime() > end) {
                throw new ConnectError(ConnectError.Kind.FAILURE, "preflight did not pass within " + deadline.toSeconds() + " s: "
                        + reasons(s));
            }
            Drills.sleep(500);
            s = status.check();
        }
        return s;
    }

    static String reasons(ClusterStatus s) {
        return String.join("; ", s.problems().stream().map(Problem::message).toList());
    }
}
