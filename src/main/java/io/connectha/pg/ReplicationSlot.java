package io.connectha.pg;

/** A replication slot and the WAL it holds back on its server ({@code retainedBytes}). */
public record ReplicationSlot(String name, String type, boolean active, Long restartLsn, Long retainedBytes, String walStatus) {
}
