package io.connectha.config;

import io.connectha.cluster.LoadedCluster;
import io.connectha.cluster.MemberSpec;
import io.connectha.error.ConnectError;
import io.connectha.etcd.EtcdGateway;
import io.connectha.net.FirstAnswer;
import io.connectha.net.Http;
import io.connectha.patroni.DcsConfig;
import io.connectha.patroni.PatroniClient;
import io.connectha.patroni.PatroniKeys;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Patroni's dynamic configuration as the cluster runs it, for {@code config show}: every etcd endpoint
 * (the config key) and every member's Patroni ({@code GET /config}) asked at once, the first answer
 * wins, all under connect + read timeout; then each setting beside what the cluster file says of it.
 */
public final class LiveDcsConfig {

    /** Beyond connect and read timeouts, for the threads and the JSON. */
    private static final Duration MARGIN = Duration.ofMillis(500);

    /**
     * One setting as shown: its value, where the value comes from, and what the file says.
     *
     * @param from      {@code live DCS}, {@code Patroni's default} (live, but the DCS holds nothing for it), or
     *                  {@code cluster file} (nothing answered)
     * @param fileSets  whether the cluster file sets it itself, rather than leaving it to a default
     * @param fileValue the file's value, default included; null for a parameter the file does not name
     * @param differs   the file sets it itself, to another value: what status calls {@code config_drift}
     */
    public record Setting(String key, Object value, String from, boolean fileSets, Object fileValue, boolean differs) {
    }

    /**
     * @param live     whether an etcd endpoint or a Patroni answered
     * @param source   who answered ({@code etcd at HOST:PORT}, {@code Patroni on pg1}), or {@code cluster file}
     * @param error    why nothing answered; null when something did
     */
    public record Shown(boolean live, String source, List<Setting> settings, String error) {
    }

    private LiveDcsConfig() {
    }

    public static Shown read(LoadedCluster cluster, Duration connectTimeout, Duration readTimeout) {
        record Source(String component, String address, Supplier<DcsConfig> ask) {
            String name() {
                return component.equals("etcd") ? "etcd at " + address : component;
            }
        }
        var spec = cluster.spec();
        String key = PatroniKeys.of(spec.patroni()).config();
        // each with its own TLS, when the cluster file gives one
        try (Http etcdHttp = EtcdGateway.http(spec, connectTimeout, readTimeout);
             Http patroniHttp = PatroniClient.http(spec, connectTimeout, readTimeout)) {
            EtcdGateway etcd = new EtcdGateway(etcdHttp);
            PatroniClient patroni = new PatroniClient(patroniHttp);
            List<Source> sources = new ArrayList<>();
            for (String endpoint : spec.etcd().endpoints()) {
                sources.add(new Source("etcd", endpoint.replaceFirst("^https?://", ""), () -> etcd.get(endpoint, key)
                        .map(kv -> DcsConfig.fromJson(kv.value()))
                        .orElseThrow(() -> new ConnectError(ConnectError.Kind.FAILURE, "etcd holds no " + key))));
            }
            for (MemberSpec m : spec.members()) {
                sources.add(new Source("Patroni on " + m.name(), m.restAddress(), () -> DcsConfig.fromJson(patroni.config(m))));
            }
            Map.Entry<String, DcsConfig> answer = FirstAnswer.among(sources, s -> Map.entry(s.name(), s.ask().get()),
                    s -> ConnectError.unreachable(s.component(), s.address(), connectTimeout.plus(readTimeout), "no answer (timed out)", null),
                    connectTimeout.plus(readTimeout).plus(MARGIN));
            return new Shown(true, answer.getKey(), compare(cluster, answer.getValue()), null);
        } catch (ConnectError e) {
            return new Shown(false, "cluster file", compare(cluster, null), e.getMessage());
        }
    }

    /** Each setting the cluster runs (or, with {@code held} null, the file's), beside the file's word on it. */
    static List<Setting> compare(LoadedCluster cluster, DcsConfig held) {
        Map<String, Object> fileValues = DcsConfig.ofFile(cluster.spec()).settings();
        Map<String, Object> fileSets = DcsConfig.setBy(cluster).settings();
        List<Setting> settings = new ArrayList<>();
        if (held == null) {
            fileValues.forEach((k, v) -> settings.add(new Setting(k, v, "cluster file", fileSets.containsKey(k), v, false)));
            return settings;
        }
        Map<String, Object> inDcs = held.settings();
        Map<String, Object> running = new LinkedHashMap<>(held.running().settings());
        running.forEach((k, v) -> {
            boolean sets = fileSets.containsKey(k);
            settings.add(new Setting(k, v, inDcs.containsKey(k) ? "live DCS" : "Patroni's default", sets, fileValues.get(k),
                    sets && !DcsConfig.same(fileSets.get(k), v)));
        });
        return settings;
    }
}
