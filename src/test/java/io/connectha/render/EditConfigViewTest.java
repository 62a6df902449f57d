package io.connectha.render;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.connectha.config.DcsConfigEdit;
import io.connectha.config.DcsConfigEditor;
import io.connectha.patroni.RtoBudget;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class EditConfigViewTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final RtoBudget FAST = RtoBudget.of(10, Duration.ofMillis(500), 1, Duration.ofSeconds(30));

    private static DcsConfigEdit edit(boolean dryRun, Long after) throws Exception {
        ObjectNode before = (ObjectNode) JSON.readTree("{\"ttl\":10,\"postgresql\":{\"parameters\":{\"max_connections\":100}}}");
        ObjectNode changed = (ObjectNode) JSON.readTree("{\"ttl\":10,\"postgresql\":{\"parameters\":{\"max_connections\":200}}}");
        return new DcsConfigEdit("/service/lab/config", dryRun, after != null, DcsConfigEditor.changes(before, changed),
                List.of("max_connections"), "pg_settings on pg1", 41, after, FAST, null, before, changed);
    }

    private static String table(DcsConfigEdit e) {
        StringWriter s = new StringWriter();
        EditConfigView.edit(new PrintWriter(s, true), e);
        return s.toString();
    }

    @Test
    void a_written_change_shows_the_diff_each_change_the_restart_the_budget_and_the_revisions() throws Exception {
        assertThat(table(edit(false, 57L))).isEqualTo("""
                --- /service/lab/config (revision 41)
                +++ /service/lab/config (revision 57)
                @@ -1,4 +1,4 @@
                 ttl: 10
                 postgresql:
                   parameters:
                -    max_connections: 100
                +    max_connections: 200

                  postgresql.parameters.max_connections: 100 -> 200
                needs a restart: max_connections (pg_settings on pg1); then run: connect ha patroni restart --pending
                worst-case node-loss RTO 13.0 s (ttl 10.0 s + promotion 2.0 s + HAProxy 0.5 s + reconnect 0.5 s), rto_target 30.0 s
                written: revision 41 -> 57
                """);
    }

    @Test
    void a_dry_run_says_nothing_was_written_and_json_carries_the_figures() throws Exception {
        DcsConfigEdit e = edit(true, null);
        assertThat(table(e)).contains("+++ /service/lab/config (dry run)").endsWith("dry run: nothing written (revision 41)\n");
        String json = Renderer.json(EditConfigView.json(e));
        var n = JSON.readTree(json);
        assertThat(n.get("dry_run").asBoolean()).isTrue();
        assertThat(n.get("written").asBoolean()).isFalse();
        assertThat(n.get("revision_after").isNull()).isTrue();
        assertThat(n.get("changes").get(0).get("before").asInt()).isEqualTo(100);
        assertThat(n.get("changes").get(0).get("after").asInt()).isEqualTo(200);
        assertThat(n.get("needs_restart").get(0).asText()).isEqualTo("max_connections");
        assertThat(n.get("rto_budget").get("worst_case_seconds").asDouble()).isEqualTo(13.0);
        assertThat(n.get("rto_budget").get("target_seconds").asDouble()).isEqualTo(30.0);
        assertThat(n.get("rto_budget").get("terms").get(2).get("setting").asText()).isEqualTo("haproxy.check_interval x haproxy.rise");
        assertThat(n.get("diff").get(0).asText()).isEqualTo("--- /service/lab/config (revision 41)");
    }

    @Test
    void no_change_is_one_line() throws Exception {
        ObjectNode config = (ObjectNode) JSON.readTree("{\"ttl\":10}");
        DcsConfigEdit e = new DcsConfigEdit("/service/lab/config", false, false, List.of(), List.of(), null, 41, null, FAST, null, config, config);
        assertThat(table(e)).isEqualTo("no change: /service/lab/config already holds this (revision 41); nothing written\n");
    }

    @Test
    void the_shown_config_ends_with_its_revision_and_budget_as_yaml_comments() throws Exception {
        StringWriter s = new StringWriter();
        EditConfigView.show(new PrintWriter(s, true), "/service/lab/config", 41, JSON.readTree("{\"ttl\":10,\"loop_wait\":2}"), FAST);
        assertThat(s.toString()).isEqualTo("""
                ttl: 10
                loop_wait: 2
                # /service/lab/config at revision 41
                # worst-case node-loss RTO 13.0 s (ttl 10.0 s + promotion 2.0 s + HAProxy 0.5 s + reconnect 0.5 s), rto_target 30.0 s
                """);
    }
}
