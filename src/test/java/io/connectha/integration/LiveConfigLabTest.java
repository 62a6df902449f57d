package io.connectha.integration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.connectha.net.Http;
import io.connectha.patroni.PatroniClient;
import io.connectha.process.ProcessController;
import io.connectha.support.CommandRun;
import io.connectha.support.Health;
import io.connectha.support.LabExtension;
import io.connectha.support.LabExtension.RunningLab;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The live configuration over the file: Patroni's dynamic configuration changed behind the cluster
 * file's back with {@code PATCH /config}, as patronictl edit-config does, and status, check and config
 * show telling it, key by key; then put back.
 */
@Tag("integration")
@ExtendWith(LabExtension.class)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class LiveConfigLabTest {

    private static void patch(RunningLab lab, String json) {
        try (Http http = new Http(Duration.ofSeconds(1), Duration.ofSeconds(5))) {
            PatroniClient patroni = PatroniClient.authenticated(http, lab.cluster().spec(), lab.secrets());
            ProcessController.awaitReady("PATCH /config " + json, Duration.ofSeconds(30), Duration.ofMillis(300), () -> {
                for (var m : lab.cluster().spec().members()) {
                    try {
                        patroni.editConfig(m, json);
                        return true;
                    } catch (io.connectha.error.ConnectError e) {
                        // the next member
                    }
                }
                return false;
            });
        }
    }

    private static JsonNode status(RunningLab lab) throws Exception {
        CommandRun run = CommandRun.of("ha", "-c", lab.clusterFile().toString(), "status", "-o", "json");
        return new ObjectMapper().readTree(run.out());
    }

    private static List<JsonNode> problems(JsonNode status, String code) {
        List<JsonNode> found = new ArrayList<>();
        status.get("problems").forEach(p -> {
            if (p.get("code").asText().equals(code)) {
                found.add(p);
            }
        });
        return found;
    }

    @Test
    void a_live_change_the_file_does_not_know_is_drift_naming_the_key_and_the_live_value_counts(RunningLab lab) throws Exception {
        Health.awaitHealthy(lab, Duration.ofSeconds(90));
        var p = lab.cluster().spec().patroni();
        assertThat(lab.cluster().sets("/patroni/loop_wait")).as("the lab's file sets loop_wait itself").isTrue();
        int fileLoopWait = p.loopWait();
        int fileRetry = p.retryTimeout();
        int liveLoopWait = fileLoopWait - 1;
        try {
            patch(lab, "{\"loop_wait\": " + liveLoopWait + "}");
            JsonNode[] seen = new JsonNode[1];
            ProcessController.awaitReady("status sees the live loop_wait", Duration.ofSeconds(20), Duration.ofMillis(300), () -> {
                try {
                    seen[0] = status(lab);
                } catch (Exception e) {
                    return false;
                }
                return seen[0].get("dcs_config").get("loop_wait").asInt() == liveLoopWait;
            });
            JsonNode s = seen[0];
            assertThat(s.get("dcs_config").get("live").asBoolean()).isTrue();
            assertThat(s.get("dcs_config").get("ttl").asInt()).isEqualTo(p.ttl());
            List<JsonNode> drift = problems(s, "config_drift");
            assertThat(drift).hasSize(1);
            assertThat(drift.get(0).get("severity").asText()).isEqualTo("warning");
            assertThat(drift.get(0).get("message").asText()).isEqualTo("loop_wait: the cluster file says " + fileLoopWait
                    + " (patroni.loop_wait), Patroni runs " + liveLoopWait + " (live DCS config)");
            assertThat(problems(s, "timing_rule")).isEmpty();

            CommandRun check = CommandRun.of("ha", "-c", lab.clusterFile().toString(), "check");
            assertThat(check.exitCode()).as(check.out()).isEqualTo(1);
            assertThat(check.out()).contains("every criterion met")
                    .contains("! config_drift").contains("loop_wait: the cluster file says " + fileLoopWait);

            CommandRun show = CommandRun.of("ha", "-c", lab.clusterFile().toString(), "config", "show", "-o", "json");
            assertThat(show.exitCode()).isZero();
            JsonNode shown = new ObjectMapper().readTree(show.out());
            assertThat(shown.get("patroni").get("loop_wait").asInt()).as("the file's field as it was").isEqualTo(fileLoopWait);
            JsonNode loopWait = null;
            for (JsonNode setting : shown.get("dcs_config").get("settings")) {
                if (setting.get("key").asText().equals("loop_wait")) {
                    loopWait = setting;
                }
            }
            assertThat(loopWait).isNotNull();
            assertThat(loopWait.get("value").asInt()).isEqualTo(liveLoopWait);
            assertThat(loopWait.get("from").asText()).isEqualTo("live DCS");
            assertThat(loopWait.get("differs").asBoolean()).isTrue();
            assertThat(loopWait.get("file_value").asInt()).isEqualTo(fileLoopWait);

            // timings that break Patroni's rule: a warning with the figures, never a refusal
            int liveRetry = p.ttl();
            patch(lab, "{\"retry_timeout\": " + liveRetry + "}");
            ProcessController.awaitReady("status sees the live retry_timeout", Duration.ofSeconds(20), Duration.ofMillis(300), () -> {
                try {
                    seen[0] = status(lab);
                } catch (Exception e) {
                    return false;
                }
                return seen[0].get("dcs_config").get("retry_timeout").asInt() == liveRetry;
            });
            List<JsonNode> rule = problems(seen[0], "timing_rule");
            assertThat(rule).hasSize(1);
            assertThat(rule.get(0).get("message").asText()).contains("ttl " + p.ttl() + " is smaller than loop_wait + 2 x retry_timeout = "
                    + liveLoopWait + " + 2 x " + liveRetry + " = " + (liveLoopWait + 2 * liveRetry));
            assertThat(problems(seen[0], "config_drift")).extracting(d -> d.get("message").asText().split(":")[0])
                    .containsExactly("loop_wait", "retry_timeout");
        } finally {
            patch(lab, "{\"loop_wait\": " + fileLoopWait + ", \"retry_timeout\": " + fileRetry + "}");
        }
        JsonNode restored = status(lab);
        assertThat(problems(restored, "config_drift")).isEmpty();
        assertThat(restored.get("dcs_config").get("loop_wait").asInt()).isEqualTo(fileLoopWait);
        Health.awaitHealthy(lab, Duration.ofSeconds(90));
    }
}
