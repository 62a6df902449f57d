package io.connectha.etcd;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * {@code etcd get}: one key with its value made readable (see {@link EtcdValue}), its revisions,
 * and its lease.
 *
 * @param value       a JSON object or array for Patroni's JSON keys, else a string
 * @param valueFormat how {@code value} was decoded
 * @param lease       null when the key is not attached to a lease
 */
public record EtcdEntry(String key, JsonNode value, EtcdValue.Format valueFormat, long valueSizeBytes,
                        long createRevision, long modRevision, long version, EtcdLease lease) {
}
