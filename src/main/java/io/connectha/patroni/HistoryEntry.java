package io.connectha.patroni;

/** A timeline switch from Patroni's {@code /history}: the timeline that ended, where, why, when, and who took over. */
public record HistoryEntry(int timeline, long lsn, String reason, String timestamp, String newLeader) {
}
