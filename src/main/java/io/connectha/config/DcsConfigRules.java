package io.connectha.config;

import com.fasterxml.jackson.databind.JsonNode;
import io.connectha.error.ConnectError;

import java.util.Map;
import java.util.Optional;

/**
 * The types Patroni gives its dynamic settings (Patroni's config.py and global_config.py, 3.x and 4.x),
 * held to a changed setting before it is written: Patroni reads {@code loop_wait: "5s"} as no number at
 * all and falls back to a default without a word, so a wrong type is refused here, naming the key.
 */
public final class DcsConfigRules {

    enum Type { POSITIVE_INTEGER, INTEGER, BOOLEAN, SYNCHRONOUS_MODE, MAPPING, LIST, PARAMETER }

    private static final Map<String, Type> KNOWN = Map.ofEntries(
            Map.entry("ttl", Type.POSITIVE_INTEGER),
            Map.entry("loop_wait", Type.POSITIVE_INTEGER),
            Map.entry("retry_timeout", Type.POSITIVE_INTEGER),
            Map.entry("maximum_lag_on_failover", Type.INTEGER),
            Map.entry("maximum_lag_on_syncnode", Type.INTEGER),
            Map.entry("max_timelines_history", Type.INTEGER),
            Map.entry("primary_start_timeout", Type.INTEGER),
            Map.entry("primary_stop_timeout", Type.INTEGER),
            Map.entry("master_start_timeout", Type.INTEGER),
            Map.entry("master_stop_timeout", Type.INTEGER),
            Map.entry("synchronous_node_count", Type.POSITIVE_INTEGER),
            Map.entry("synchronous_mode", Type.SYNCHRONOUS_MODE),
            Map.entry("synchronous_mode_strict", Type.BOOLEAN),
            Map.entry("failsafe_mode", Type.BOOLEAN),
            Map.entry("check_timeline", Type.BOOLEAN),
            Map.entry("standby_cluster", Type.MAPPING),
            Map.entry("slots", Type.MAPPING),
            Map.entry("ignore_slots", Type.LIST),
            Map.entry("postgresql", Type.MAPPING),
            Map.entry("postgresql.parameters", Type.MAPPING),
            Map.entry("postgresql.recovery_conf", Type.MAPPING),
            Map.entry("postgresql.pg_hba", Type.LIST),
            Map.entry("postgresql.pg_ident", Type.LIST),
            Map.entry("postgresql.use_pg_rewind", Type.BOOLEAN),
            Map.entry("postgresql.use_slots", Type.BOOLEAN),
            Map.entry("postgresql.remove_data_directory_on_rewind_failure", Type.BOOLEAN),
            Map.entry("postgresql.remove_data_directory_on_diverged_timelines", Type.BOOLEAN));

    private DcsConfigRules() {
    }

    /** Why {@code value}, the new value of {@code key}, is wrong for Patroni; empty when it is fine (or the key is not Patroni's). */
    public static Optional<String> problem(String key, JsonNode value) {
        Type type = key.startsWith(DcsPatch.PARAMETERS + ".") ? Type.PARAMETER : KNOWN.get(key);
        if (type == null) {
            return Optional.empty();
        }
        String shown = value.isTextual() ? "'" + value.asText() + "'" : value.toString();
        return switch (type) {
            case POSITIVE_INTEGER -> value.isIntegralNumber() && value.asLong() > 0 ? Optional.empty()
                    : Optional.of(key + " must be a whole number of seconds (or a count) above 0, not " + shown);
            case INTEGER -> value.isIntegralNumber() && value.asLong() >= 0 ? Optional.empty()
                    : Optional.of(key + " must be a whole number, 0 or more, not " + shown);
            case BOOLEAN -> value.isBoolean() ? Optional.empty() : Optional.of(key + " must be true or false, not " + shown);
            case SYNCHRONOUS_MODE -> value.isBoolean() || value.isTextual() && value.asText().equals("quorum") ? Optional.empty()
                    : Optional.of(key + " must be true, false or quorum, not " + shown);
            case MAPPING -> value.isObject() ? Optional.empty() : Optional.of(key + " must be a mapping, not " + shown);
            case LIST -> value.isArray() ? Optional.empty() : Optional.of(key + " must be a list, not " + shown);
            case PARAMETER -> value.isValueNode() ? Optional.empty()
                    : Optional.of(key + " must be one value (text, a number or a boolean), not " + shown);
        };
    }

    /** Refuses, with one line naming the key, the first changed setting of a wrong type; removals are always fine. */
    public static void check(Map<String, JsonNode> changed) {
        changed.forEach((key, value) -> {
            if (value != null && !value.isNull()) {
                problem(key, value).ifPresent(why -> {
                    throw ConnectError.invalidInput(why);
                });
            }
        });
    }
}
