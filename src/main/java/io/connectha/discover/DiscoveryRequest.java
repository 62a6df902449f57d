package io.connectha.discover;

import java.nio.file.Path;
import java.time.Duration;

/**
 * What the operator has at hand; any field may be null. Live sources are also derived: the REST API
 * and the etcd hosts that {@code patroniConfig} names, and the admin socket that {@code haproxyConfig} names.
 *
 * @param namespace        Patroni's DCS namespace to look under in etcd; null: patroni.yml's, else {@code /service}
 * @param scope            the cluster to take when etcd holds more than one under the namespace
 * @param secretsDir       secret sources become {@code {file: DIR/<name>.password}}; null: the {@code CONNECT_*_PASSWORD} variables
 */
public record DiscoveryRequest(Path patroniConfig, String patroniUrl, String etcdUrl, String namespace, String scope,
                               Path haproxyConfig, Path haproxySocket, String haproxyStatsUrl,
                               Path pgbouncerConfig, String pgbouncerAddress, Path secretsDir,
                               Duration connectTimeout, Duration readTimeout) {

    /** The sources the operator named, in a fixed order, for the file's header and the report. */
    public java.util.List<String> namedSources() {
        java.util.List<String> s = new java.util.ArrayList<>();
        add(s, "--patroni-config", patroniConfig);
        add(s, "--patroni", patroniUrl);
        add(s, "--etcd", etcdUrl);
        add(s, "--namespace", namespace);
        add(s, "--scope", scope);
        add(s, "--haproxy-config", haproxyConfig);
        add(s, "--haproxy-socket", haproxySocket);
        add(s, "--haproxy-stats", haproxyStatsUrl);
        add(s, "--pgbouncer-config", pgbouncerConfig);
        add(s, "--pgbouncer", pgbouncerAddress);
        add(s, "--secrets-dir", secretsDir);
        return s;
    }

    private static void add(java.util.List<String> s, String option, Object value) {
        if (value != null) {
            s.add(option + " " + value);
        }
    }
}
