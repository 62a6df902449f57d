package io.connectha.config;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.connectha.error.ConnectError;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class DcsConfigRulesTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static java.util.Optional<String> problem(String key, String json) throws Exception {
        return DcsConfigRules.problem(key, JSON.readTree(json));
    }

    @Test
    void patronis_timings_must_be_whole_numbers_above_zero() throws Exception {
        assertThat(problem("loop_wait", "5")).isEmpty();
        assertThat(problem("loop_wait", "\"5s\"")).contains("loop_wait must be a whole number of seconds (or a count) above 0, not '5s'");
        assertThat(problem("ttl", "2.5")).contains("ttl must be a whole number of seconds (or a count) above 0, not 2.5");
        assertThat(problem("retry_timeout", "0")).isPresent();
        assertThat(problem("maximum_lag_on_failover", "1048576")).isEmpty();
        assertThat(problem("maximum_lag_on_failover", "\"1MB\"")).contains("maximum_lag_on_failover must be a whole number, 0 or more, not '1MB'");
    }

    @Test
    void booleans_mappings_lists_and_parameters_have_their_types() throws Exception {
        assertThat(problem("synchronous_mode", "true")).isEmpty();
        assertThat(problem("synchronous_mode", "\"quorum\"")).isEmpty();
        assertThat(problem("synchronous_mode", "\"yes please\"")).contains("synchronous_mode must be true, false or quorum, not 'yes please'");
        assertThat(problem("postgresql.use_slots", "1")).contains("postgresql.use_slots must be true or false, not 1");
        assertThat(problem("postgresql", "5")).contains("postgresql must be a mapping, not 5");
        assertThat(problem("postgresql.pg_hba", "\"host all all 0.0.0.0/0 md5\"")).isPresent();
        assertThat(problem("postgresql.parameters.work_mem", "\"8MB\"")).isEmpty();
        assertThat(problem("postgresql.parameters.max_connections", "200")).isEmpty();
        assertThat(problem("postgresql.parameters.work_mem", "{\"a\":1}")).contains(
                "postgresql.parameters.work_mem must be one value (text, a number or a boolean), not {\"a\":1}");
        assertThat(problem("some_future_setting", "{\"a\":1}")).as("a key Patroni may know but connect does not").isEmpty();
    }

    @Test
    void check_refuses_the_first_bad_change_and_lets_removals_through() throws Exception {
        Map<String, com.fasterxml.jackson.databind.JsonNode> changed = new LinkedHashMap<>();
        changed.put("ttl", null);
        changed.put("loop_wait", JSON.readTree("\"abc\""));
        assertThatThrownBy(() -> DcsConfigRules.check(changed)).isInstanceOf(ConnectError.class)
                .hasMessage("loop_wait must be a whole number of seconds (or a count) above 0, not 'abc'")
                .extracting(e -> ((ConnectError) e).kind()).isEqualTo(ConnectError.Kind.INVALID_INPUT);
    }
}
