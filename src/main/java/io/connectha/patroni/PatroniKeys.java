package io.connectha.patroni;

import io.connectha.cluster.PatroniSpec;

import java.util.Set;

/**
 * Where Patroni keeps a cluster's state in etcd's v3 keyspace: {@code <namespace>/<scope>/...}.
 * The one place that knows the layout.
 */
public record PatroniKeys(String namespace, String scope) {

    /** Keys whose values Patroni writes as JSON; {@code leader} and {@code initialize} hold plain text. */
    private static final Set<String> JSON_KEYS = Set.of("config", "history", "status", "sync", "failover", "failsafe");

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

    /** Patroni 3's failsafe mode: the members the leader last saw, so it may keep running without etcd. */
    public String failsafe() {
        return prefix() + "failsafe";
    }

    /**
     * A key as given on the command line: absolute when it starts with {@code /}, else under this
     * cluster's prefix, so that {@code members/pg1} means {@code /service/<scope>/members/pg1}.
     */
    public String resolve(String key) {
        return key.startsWith("/") ? key : prefix() + key;
    }

    /**
     * Whether Patroni keeps a JSON document under this key: {@code members/<name>}, {@code config},
     * {@code history}, {@code status}, {@code sync}, {@code failover} or {@code failsafe} of any scope
     * in this namespace, since one etcd often holds several clusters.
     */
    public boolean holdsJson(String key) {
        String namespacePrefix = namespace.endsWith("/") ? namespace : namespace + "/";
        if (!key.startsWith(namespacePrefix)) {
            return false;
        }
        String inNamespace = key.substring(namespacePrefix.length());
        int slash = inNamespace.indexOf('/');
        if (slash <= 0) {
            return false;
        }
        String inScope = inNamespace.substring(slash + 1);
        if (inScope.startsWith("members/")) {
            String member = inScope.substring("members/".length());
            return !member.isEmpty() && !member.contains("/");
        }
        return JSON_KEYS.contains(inScope);
    }
}
