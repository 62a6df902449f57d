package io.connectha.render;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.connectha.patroni.SwitchoverResult;
import io.connectha.status.PooledSwitchoverResult;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class PooledSwitchoverViewTest {

    private static final SwitchoverResult DONE = new SwitchoverResult("switchover", "pg1", "pg2", Duration.ofMillis(2320), false, null,
            false, "Successfully switched over to \"pg2\"");

    private static PooledSwitchoverResult done() {
        return new PooledSwitchoverResult(DONE, new PooledSwitchoverResult.Pooler("127.0.0.10:23650", List.of("app"),
                List.of("127.0.0.10:23640"), true, Duration.ofMillis(2576), true),
                List.of(new PooledSwitchoverResult.Phase("pause", Duration.ofMillis(91)),
                        new PooledSwitchoverResult.Phase("switchover", Duration.ofMillis(2320)),
                        new PooledSwitchoverResult.Phase("steer", Duration.ofMillis(5)),
                        new PooledSwitchoverResult.Phase("path", Duration.ofMillis(123)),
                        new PooledSwitchoverResult.Phase("resume", Duration.ofMillis(32))),
                new PooledSwitchoverResult.Steering("write", "pg1", "pg2", List.of("set server write/pg1 health down",
                        "set server write/pg2 health up")));
    }

    @Test
    void json_keeps_the_switchover_fields_first_as_they_are_without_the_option_and_adds_the_pooler_the_phases_and_steering()
            throws Exception {
        JsonNode plain = new ObjectMapper().readTree(Renderer.json(DONE));
        JsonNode pooled = new ObjectMapper().readTree(Renderer.json(PooledSwitchoverView.json(done())));
        List<String> names = new ArrayList<>();
        pooled.fieldNames().forEachRemaining(names::add);
        List<String> before = new ArrayList<>();
        plain.fieldNames().forEachRemaining(before::add);
        assertThat(names.subList(0, before.size())).containsExactlyElementsOf(before);
        assertThat(names.subList(before.size(), names.size())).containsExactly("pooler", "phases", "steering");
        before.forEach(f -> assertThat(pooled.get(f)).as(f).isEqualTo(plain.get(f)));
        assertThat(pooled.at("/pooler/paused_ms").asLong()).isEqualTo(2576);
        assertThat(pooled.at("/pooler/databases/0").asText()).isEqualTo("app");
        assertThat(pooled.at("/pooler/via_haproxy").asBoolean()).isTrue();
        assertThat(pooled.at("/phases/1/phase").asText()).isEqualTo("switchover");
        assertThat(pooled.at("/phases/1/took_ms").asLong()).isEqualTo(2320);
        assertThat(pooled.at("/steering/commands/0").asText()).isEqualTo("set server write/pg1 health down");
    }

    @Test
    void the_table_says_how_long_clients_were_held_and_each_phase() {
        StringWriter out = new StringWriter();
        PooledSwitchoverView.table(new PrintWriter(out, true), done());
        assertThat(out.toString()).contains("Switchover done: pg2 is the leader (confirmed by Patroni and PostgreSQL) after 2.3 s. Was: pg1.")
                .contains("PgBouncer held app for 2.6 s (pause 91 ms, switchover 2.3 s, steer 5 ms, path 123 ms, resume 32 ms); "
                        + "its path 127.0.0.10:23640 (HAProxy's write port) reaches pg2.")
                .contains("HAProxy steered: set server write/pg1 health down; set server write/pg2 health up.");
    }

    @Test
    void a_dry_run_says_the_plan() {
        PooledSwitchoverResult dry = new PooledSwitchoverResult(new SwitchoverResult("switchover", "pg1", "pg2", null, false, null, true,
                null), new PooledSwitchoverResult.Pooler("127.0.0.10:23650", List.of("app"), List.of("127.0.0.10:23640"), true, null, false),
                List.of(), null);
        StringWriter out = new StringWriter();
        PooledSwitchoverView.table(new PrintWriter(out, true), dry);
        assertThat(out.toString()).isEqualTo("Dry run: would switchover from pg1 to pg2. The candidate passed the checks.\n"
                + "Would PAUSE app on PgBouncer at 127.0.0.10:23650, switch over, wait until its path 127.0.0.10:23640 (HAProxy's write "
                + "port) reaches pg2, then RESUME.\n");
    }
}
