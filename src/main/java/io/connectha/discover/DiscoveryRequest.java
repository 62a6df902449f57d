package io.connectha.discover;

import io.connectha.error.ConnectError;

import java.net.URI;
import java.nio.file.Files;
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

    /** The same sources, for one of the clusters under the namespace, with its own secrets directory (or none). */
    public DiscoveryRequest forScope(String name, Path secrets) {
        return new DiscoveryRequest(patroniConfig, patroniUrl, etcdUrl, namespace, name, haproxyConfig, haproxySocket, haproxyStatsUrl,
                pgbouncerConfig, pgbouncerAddress, secrets, connectTimeout, readTimeout);
    }

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

    /** Bad input, refused before anything is asked: a URL that is not one, a socket that is not there. */
    public void check() {
        url("--patroni", patroniUrl());
        url("--etcd", etcdUrl());
        url("--haproxy-stats", haproxyStatsUrl());
        if (pgbouncerAddress() != null) {
            HostPort hp = HostPort.parse(pgbouncerAddress());
            if (hp == null || hp.host().equals("*") || hp.port() < 1 || hp.port() > 65535) {
                throw ConnectError.invalidInput("--pgbouncer " + pgbouncerAddress() + ": give HOST:PORT, such as 10.0.1.10:6432");
            }
        }
        if (haproxySocket() != null && !Files.exists(haproxySocket())) {
            throw ConnectError.invalidInput("--haproxy-socket " + haproxySocket() + ": no such socket");
        }
        if (secretsDir() != null && Files.exists(secretsDir()) && !Files.isDirectory(secretsDir())) {
            throw ConnectError.invalidInput("--secrets-dir " + secretsDir() + ": not a directory");
        }
        if (patroniConfig() == null && patroniUrl() == null && etcdUrl() == null) {
            throw ConnectError.invalidInput("nothing to discover the members from: give --patroni-config FILE, --patroni URL or --etcd URL");
        }
    }

    private static void url(String option, String text) {
        if (text == null) {
            return;
        }
        URI u = Values.uri(text);
        if (u == null || u.getScheme() == null || !(u.getScheme().equals("http") || u.getScheme().equals("https"))
                || u.getHost() == null) {
            throw ConnectError.invalidInput(option + " " + text + ": not an http(s) URL; give one such as http://10.0.1.11:8008");
        }
    }
}
