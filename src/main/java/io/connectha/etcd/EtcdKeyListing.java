package io.connectha.etcd;

import java.util.List;

/**
 * {@code etcd keys}: the keys under a prefix, sorted by key.
 *
 * @param prefix null when the whole keyspace was listed
 */
public record EtcdKeyListing(String prefix, List<EtcdKey> keys) {
}
