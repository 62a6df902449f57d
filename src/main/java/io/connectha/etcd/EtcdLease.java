package io.connectha.etcd;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.time.Duration;

/**
 * A lease a key is attached to. Patroni puts each member's key, and the leader key of the member
 * that leads, under that member's lease of {@code ttl} seconds, and renews it every loop.
 *
 * @param id         in hex, as {@code etcdctl lease timetolive} takes it
 * @param grantedTtl the TTL the lease was granted with
 * @param ttlLeft    time until the lease expires unless renewed; zero once it has expired
 */
public record EtcdLease(String id, @JsonIgnore Duration grantedTtl, @JsonIgnore Duration ttlLeft) {

    public boolean expired() {
        return ttlLeft.isZero();
    }

    // whole seconds in JSON and YAML: etcd's own unit for TTLs, and what etcdctl prints
    @JsonProperty("granted_ttl_seconds")
    long grantedTtlSeconds() {
        return grantedTtl.toSeconds();
    }

    @JsonProperty("ttl_left_seconds")
    long ttlLeftSeconds() {
        return ttlLeft.toSeconds();
    }
}
