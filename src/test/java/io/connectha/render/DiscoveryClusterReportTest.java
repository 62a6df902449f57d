package io.connectha.render;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.connectha.discover.DiscoveryReport;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code discover --all-scopes}: one cluster's report in JSON, and its lines on stderr. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class DiscoveryClusterReportTest {

    private static final DiscoveryReport WRITTEN = new DiscoveryReport("/d/lab.yaml", "created", "name: lab\n",
            List.of(new DiscoveryReport.Found("patroni.scope", "lab", "--scope")), List.of(), List.of(),
            List.of(new DiscoveryReport.Check("the leader", true, "pg1")), List.of(),
            new DiscoveryReport.Context("lab", "/h/.config/connect/contexts.yaml", "added"));

    @Test
    void a_written_cluster_keeps_the_single_reports_fields_with_its_scope_and_code() throws Exception {
        JsonNode j = new ObjectMapper().readTree(Renderer.json(List.of(DiscoveryView.ClusterReport.of("lab", 0, null, WRITTEN))));
        JsonNode r = j.get(0);
        assertThat(r.get("scope").asText()).isEqualTo("lab");
        assertThat(r.get("exit_code").asInt()).isZero();
        assertThat(r.get("error").isNull()).isTrue();
        assertThat(r.get("file").asText()).isEqualTo("/d/lab.yaml");
        assertThat(r.get("action").asText()).isEqualTo("created");
        assertThat(r.get("context").get("contexts_file").asText()).isEqualTo("/h/.config/connect/contexts.yaml");
        assertThat(r.get("checks").get(0).get("detail").asText()).isEqualTo("pg1");
    }

    @Test
    void a_failed_cluster_has_its_error_and_empty_lists() throws Exception {
        JsonNode r = new ObjectMapper().readTree(Renderer.json(DiscoveryView.ClusterReport.of("other", 5, "no member answers", null)));
        assertThat(r.get("exit_code").asInt()).isEqualTo(5);
        assertThat(r.get("error").asText()).isEqualTo("no member answers");
        assertThat(r.get("file").isNull()).isTrue();
        assertThat(r.get("found")).isEmpty();
        assertThat(r.get("context").isNull()).isTrue();
    }

    @Test
    void stderr_has_a_heading_per_cluster_and_the_error_even_when_quiet() {
        StringWriter loud = new StringWriter();
        DiscoveryView.clusterSummary(new PrintWriter(loud), "lab", WRITTEN, null, false);
        assertThat(loud.toString().lines().toList()).containsExactly("== cluster lab",
                "found    patroni.scope = lab  (from --scope)", "check    ok     the leader: pg1", "wrote /d/lab.yaml (created)",
                "context lab now names /d/lab.yaml (/h/.config/connect/contexts.yaml)");
        StringWriter quiet = new StringWriter();
        DiscoveryView.clusterSummary(new PrintWriter(quiet), "other", null, "no member answers", true);
        assertThat(quiet.toString().lines().toList()).containsExactly("connect: cluster other: no member answers");
    }
}
