package io.connectha.etcd;

/**
 * One key of a listing: its size and lease, not its value.
 *
 * @param lease null when the key is not attached to a lease
 */
public record EtcdKey(String key, long valueSizeBytes, long createRevision, long modRevision, long version, EtcdLease lease) {
}
