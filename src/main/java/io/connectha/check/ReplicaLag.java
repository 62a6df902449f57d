package io.connectha.check;

import java.time.Duration;

/**
 * One replica's lag as the check measured and judged it; {@code render} says it in words.
 *
 * @param bytesBehind the leader's current WAL position minus the replica's replay position
 * @param timeBehind  how far behind in time; zero when no bytes are behind, however long ago the last write was
 * @param timeSource  where timeBehind came from: {@code no bytes behind}, {@code replay_lag}, {@code last replay}, {@code heartbeat}
 * @param slotActive  whether the replica's slot on the leader is active; null when it has none
 * @param error       why the replica could not be asked; null when it answered
 * @param bytesLevel  the threshold bytes behind reached (OK for none); null when not measured
 * @param timeLevel   the threshold time behind reached (OK for none); null when not measured
 */
public record ReplicaLag(String member, String host, int port, boolean reachable, Boolean streaming, Boolean slotActive,
                         Long bytesBehind, Duration timeBehind, String timeSource, CheckStatus status, String error,
                         CheckStatus bytesLevel, CheckStatus timeLevel) {
}
