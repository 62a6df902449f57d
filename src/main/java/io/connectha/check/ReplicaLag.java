package io.connectha.check;

import java.time.Duration;

/**
 * One replica's lag as the check measured it.
 *
 * @param bytesBehind the leader's current WAL position minus the replica's replay position
 * @param timeBehind  how far behind in time; zero when no bytes are behind, however long ago the last write was
 * @param timeSource  where timeBehind came from: {@code no bytes behind}, {@code replay_lag}, {@code last replay}, {@code heartbeat}
 * @param slotActive  whether the replica's slot on the leader is active; null when it has none
 */
public record ReplicaLag(String member, String host, int port, boolean reachable, Boolean streaming, Boolean slotActive,
                         Long bytesBehind, Duration timeBehind, String timeSource, CheckStatus status, String reason) {
}
