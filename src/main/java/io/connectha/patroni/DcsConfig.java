package io.connectha.patroni;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.connectha.cluster.ClusterSpec;
import io.connectha.cluster.LoadedCluster;
import io.connectha.cluster.PatroniSpec;
import io.connectha.cluster.PostgresSpec;
import io.connectha.units.Units;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Patroni's dynamic configuration as the DCS holds it (etcd's {@code <namespace>/<scope>/config}, or
 * {@code GET /config}): how Patroni runs, whatever a cluster file says. A setting the DCS does not hold
 * is null; {@link #running()} fills in what Patroni then uses, its own defaults.
 *
 * @param parameters {@code postgresql.parameters}, the PostgreSQL settings Patroni keeps cluster-wide, as text
 */
public record DcsConfig(Integer ttl, Integer loopWait, Integer retryTimeout, Long maximumLagOnFailover,
                        Boolean synchronousMode, Boolean usePgRewind, Boolean useSlots, Map<String, String> parameters) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** What Patroni uses when the DCS holds nothing for a setting (Patroni's config.py and global_config.py). */
    public static final DcsConfig PATRONI_DEFAULTS = new DcsConfig(30, 10, 10, 1L << 20, false, false, true, Map.of());

    public DcsConfig {
        parameters = parameters == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
    }

    /** Patroni's JSON, from the DCS key or {@code GET /config}. */
    public static DcsConfig fromJson(JsonNode n) {
        JsonNode pg = n.path("postgresql");
        Map<String, String> parameters = new LinkedHashMap<>();
        pg.path("parameters").fields().forEachRemaining(e -> {
            if (!e.getValue().isNull() && !e.getValue().isContainerNode()) {
                parameters.put(e.getKey(), e.getValue().asText());
            }
        });
        JsonNode lag = n.get("maximum_lag_on_failover");
        Long maximumLag = lag == null || lag.isNull() ? null : lag.canConvertToLong() ? lag.longValue() : parseLong(lag.asText());
        return new DcsConfig(Json.integer(n, "ttl"), Json.integer(n, "loop_wait"), Json.integer(n, "retry_timeout"), maximumLag,
                Json.bool(n, "synchronous_mode"), pg.isObject() ? Json.bool(pg, "use_pg_rewind") : null,
                pg.isObject() ? Json.bool(pg, "use_slots") : null, parameters);
    }

    /** The value of the DCS key: Patroni writes it as JSON. */
    public static DcsConfig fromJson(String text) {
        try {
            return fromJson(JSON.readTree(text));
        } catch (IOException e) {
            throw new io.connectha.error.ConnectError(io.connectha.error.ConnectError.Kind.FAILURE,
                    "Patroni's config key is not JSON: " + e.getMessage(), e);
        }
    }

    private static Long parseLong(String s) {
        try {
            return Long.valueOf(s.strip());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** As Patroni runs: what the DCS holds, and Patroni's own defaults for what it does not. */
    public DcsConfig running() {
        DcsConfig d = PATRONI_DEFAULTS;
        return new DcsConfig(or(ttl, d.ttl), or(loopWait, d.loopWait), or(retryTimeout, d.retryTimeout),
                or(maximumLagOnFailover, d.maximumLagOnFailover), or(synchronousMode, d.synchronousMode),
                or(usePgRewind, d.usePgRewind), or(useSlots, d.useSlots), parameters);
    }

    private static <T> T or(T value, T fallback) {
        return value != null ? value : fallback;
    }

    /**
     * Each setting by the name Patroni gives it in the DCS ({@code ttl}, {@code postgresql.use_slots},
     * {@code postgresql.parameters.max_connections}), in that order; settings that are null are left out.
     */
    public Map<String, Object> settings() {
        Map<String, Object> s = new LinkedHashMap<>();
        put(s, "ttl", ttl);
        put(s, "loop_wait", loopWait);
        put(s, "retry_timeout", retryTimeout);
        put(s, "maximum_lag_on_failover", maximumLagOnFailover);
        put(s, "synchronous_mode", synchronousMode);
        put(s, "postgresql.use_pg_rewind", usePgRewind);
        put(s, "postgresql.use_slots", useSlots);
        parameters.forEach((k, v) -> s.put("postgresql.parameters." + k, v));
        return s;
    }

    private static void put(Map<String, Object> s, String key, Object value) {
        if (value != null) {
            s.put(key, value);
        }
    }

    /** The cluster file's field for a DCS setting, for messages: {@code loop_wait} is {@code patroni.loop_wait}. */
    public static String fileField(String key) {
        if (key.startsWith("postgresql.parameters.")) {
            String name = key.substring("postgresql.parameters.".length());
            return FILE_FIELDS_OF_PARAMETERS.containsKey(name) ? "postgresql." + name : "postgresql.parameters." + name;
        }
        return "patroni." + key.substring(key.lastIndexOf('.') + 1);
    }

    /** The PostgreSQL settings the cluster file has a field of its own for, beside {@code postgresql.parameters}. */
    private static final Map<String, String> FILE_FIELDS_OF_PARAMETERS = Map.of("max_connections", "/postgresql/max_connections",
            "max_wal_senders", "/postgresql/max_wal_senders", "max_replication_slots", "/postgresql/max_replication_slots",
            "wal_keep_size", "/postgresql/wal_keep_size");

    /**
     * The DCS settings a cluster file asks for, each only when the file sets it itself: a file that leaves
     * ttl out has no opinion on it. {@code postgresql.parameters} counts whole (every entry is the file's).
     */
    public static DcsConfig setBy(LoadedCluster cluster) {
        ClusterSpec spec = cluster.spec();
        PatroniSpec p = spec.patroni();
        PostgresSpec pg = spec.postgresql();
        Map<String, String> parameters = new LinkedHashMap<>();
        if (cluster.sets("/postgresql/max_connections")) {
            parameters.put("max_connections", Integer.toString(pg.maxConnections()));
        }
        if (cluster.sets("/postgresql/max_wal_senders")) {
            parameters.put("max_wal_senders", Integer.toString(pg.maxWalSenders()));
        }
        if (cluster.sets("/postgresql/max_replication_slots")) {
            parameters.put("max_replication_slots", Integer.toString(pg.maxReplicationSlots()));
        }
        if (cluster.sets("/postgresql/wal_keep_size")) {
            parameters.put("wal_keep_size", Units.pgSize(pg.walKeepSize().bytes()));
        }
        pg.parameters().forEach(parameters::put);
        return new DcsConfig(
                cluster.sets("/patroni/ttl") ? p.ttl() : null,
                cluster.sets("/patroni/loop_wait") ? p.loopWait() : null,
                cluster.sets("/patroni/retry_timeout") ? p.retryTimeout() : null,
                cluster.sets("/patroni/maximum_lag_on_failover") ? p.maximumLagOnFailover().bytes() : null,
                cluster.sets("/patroni/synchronous_mode") ? p.synchronousMode() : null,
                cluster.sets("/patroni/use_pg_rewind") ? p.usePgRewind() : null,
                cluster.sets("/patroni/use_slots") ? p.useSlots() : null,
                parameters);
    }

    /** The settings a cluster file stands for, defaults included: what {@code config generate} would seed the DCS with. */
    public static DcsConfig ofFile(ClusterSpec spec) {
        PatroniSpec p = spec.patroni();
        PostgresSpec pg = spec.postgresql();
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put("max_connections", Integer.toString(pg.maxConnections()));
        parameters.put("max_wal_senders", Integer.toString(pg.maxWalSenders()));
        parameters.put("max_replication_slots", Integer.toString(pg.maxReplicationSlots()));
        parameters.put("wal_keep_size", Units.pgSize(pg.walKeepSize().bytes()));
        pg.parameters().forEach(parameters::put);
        return new DcsConfig(p.ttl(), p.loopWait(), p.retryTimeout(), p.maximumLagOnFailover().bytes(), p.synchronousMode(),
                p.usePgRewind(), p.useSlots(), parameters);
    }

    /**
     * Whether two values of one setting mean the same: {@code 100} and {@code "100"}, {@code on} and
     * {@code true}, {@code 1GB} and {@code 1024MB} do.
     */
    public static boolean same(Object a, Object b) {
        if (Objects.equals(a, b)) {
            return true;
        }
        if (a == null || b == null) {
            return false;
        }
        String x = a.toString().strip();
        String y = b.toString().strip();
        if (x.equalsIgnoreCase(y)) {
            return true;
        }
        Boolean bx = bool(x);
        Boolean by = bool(y);
        if (bx != null && by != null) {
            return bx.equals(by);
        }
        try {
            return new java.math.BigDecimal(x).compareTo(new java.math.BigDecimal(y)) == 0;
        } catch (NumberFormatException e) {
            // not both plain numbers: perhaps both sizes
        }
        try {
            return io.connectha.cluster.ByteSize.parse(x).bytes() == io.connectha.cluster.ByteSize.parse(y).bytes();
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** PostgreSQL's spellings of a boolean. */
    private static Boolean bool(String s) {
        return switch (s.toLowerCase(java.util.Locale.ROOT)) {
            case "on", "true", "yes", "1" -> Boolean.TRUE;
            case "off", "false", "no", "0" -> Boolean.FALSE;
            default -> null;
        };
    }
}
