package io.connectha.patroni;

import io.connectha.cluster.PatroniSpec;

/**
 * Where Patroni keeps a cluster's state in etcd's v3 keyspace: {@code <namespace>/<scope>/...}.
 * The one place that knows the layout.
 */
public record PatroniKeys(String namespace, String scope) {

    public static PatroniKeys of(PatroniSpec patroni) {
        return new PatroniKeys(patroni.namespace(), patroni.scope());
    }

    /** {@code /service/lab/}: every key of the cluster starts with this. */
    public String prefix() {
        return (namespace.endsWith("/") ? namespace : namespace + "/") + scope + "/";
    }

    /** The leader lock: its value is the leader's member name, held under a lease of ttl seconds. */
    public String leader() {
        return prefix() + "leader";
    }

    public String membersPrefix() {
        return prefix() + "members/";
    }

    public String member(String name) {
        return membersPrefix() + name;
    }

    /** Dynamic configuration (what bootstrap.dcs seeded, then edit-config). */
    public String config() {
        return prefix() + "config";
    }

    /** Timeline history: a JSON list of [timeline, lsn, reason, timestamp, new leader]. */
    public String history() {
        return prefix() + "history";
    }

    public String sync() {
        return prefix() + "sync";
    }

    public String failover() {
        return prefix() + "failover";
    }

    public String initialize() {
        return prefix() + "initialize";
    }

    /** The leader's last known WAL position and slots ({@code optime/leader} in older Patroni). */
    public String status() {
        return prefix() + "status";
    }
}
