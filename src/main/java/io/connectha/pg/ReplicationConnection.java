package io.connectha.pg;

import java.time.Duration;

/**
 * One row of {@code pg_stat_replication} on a primary: a standby as the primary sees it.
 *
 * @param lagBytes the primary's current LSN minus the standby's replay LSN
 */
public record ReplicationConnection(
        String applicationName,
        String clientAddr,
        String state,
        String syncState,
        Long sentLsn,
        Long writeLsn,
        Long flushLsn,
        Long replayLsn,
        Long lagBytes,
        Duration writeLag,
        Duration flushLag,
        Duration replayLag) {

    public boolean streaming() {
        return "streaming".equals(state);
    }
}
