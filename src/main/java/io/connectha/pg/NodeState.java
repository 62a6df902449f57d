package io.connectha.pg;

import java.time.Instant;

/**
 * What PostgreSQL says about itself. LSNs are byte positions in the WAL ({@code pg_lsn} as a
 * number); null where they do not apply (a primary has no replay LSN, a standby no current LSN).
 *
 * @param walReceiverStatus {@code pg_stat_wal_receiver.status} on a standby: "streaming" when it streams
 */
public record NodeState(
        boolean inRecovery,
        Long currentLsn,
        Long receiveLsn,
        Long replayLsn,
        Instant lastReplayAt,
        Integer timeline,
        String walReceiverStatus,
        boolean replayPaused) {

    public boolean streaming() {
        return "streaming".equals(walReceiverStatus);
    }
}
