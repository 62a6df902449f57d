package io.connectha.config;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.connectha.cluster.ClusterFileLoader;
import io.connectha.cluster.LoadedCluster;
import io.connectha.error.ConnectError;
import io.connectha.support.TestClusters;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The judging half of edit-config, on the example cluster file (rto_target 35s, HAProxy every 1 s, rise 2), with no cluster running. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class DcsConfigEditorTest {

    private static DcsConfigEditor editor() throws Exception {
        LoadedCluster cluster = new ClusterFileLoader(TestClusters.exampleSecrets()).load(TestClusters.EXAMPLE);
        // no parameter changes in these tests, so nothing asks etcd or PostgreSQL
        return new DcsConfigEditor(cluster, null, null, Duration.ofSeconds(1), Duration.ofSeconds(1));
    }

    private static DcsConfigEditor.Snapshot snapshot() throws Exception {
        return new DcsConfigEditor.Snapshot("/service/demo/config", 41,
                (ObjectNode) new ObjectMapper().readTree("{\"ttl\":10,\"loop_wait\":2,\"retry_timeout\":4}"));
    }

    private static DcsPatch set(String... pairs) {
        return new DcsPatch(null, java.util.Arrays.stream(pairs).map(DcsPatch::set).toList());
    }

    @Test
    void a_change_within_the_rules_is_planned_with_its_budget() throws Exception {
        DcsConfigEditor.Plan plan = editor().plan(snapshot(), set("loop_wait=1"), false);
        assertThat(plan.changes()).containsExactly(new DcsConfigEditor.Change("loop_wait", new ObjectMapper().readTree("2"),
                new ObjectMapper().readTree("1")));
        assertThat(plan.budget().worstCase()).isEqualTo(Duration.ofMillis(14_500));
        assertThat(plan.budget().target()).isEqualTo(Duration.ofSeconds(35));
        assertThat(plan.timingRule()).isNull();
        assertThat(plan.restart().parameters()).isEmpty();
    }

    @Test
    void no_change_is_a_plan_without_changes() throws Exception {
        assertThat(editor().plan(snapshot(), set("ttl=10"), false).changed()).isFalse();
    }

    @Test
    void a_wrong_type_is_refused_naming_the_key() throws Exception {
        DcsConfigEditor editor = editor();
        assertThatThrownBy(() -> editor.plan(snapshot(), set("ttl=ten"), true)).isInstanceOf(ConnectError.class)
                .hasMessage("ttl must be a whole number of seconds (or a count) above 0, not 'ten'");
    }

    @Test
    void timings_that_break_patronis_rule_are_refused_unless_forced() throws Exception {
        DcsConfigEditor editor = editor();
        assertThatThrownBy(() -> editor.plan(snapshot(), set("retry_timeout=5"), false))
                .hasMessage("ttl: Patroni's timing rule: ttl 10 is smaller than loop_wait + 2 x retry_timeout = 2 + 2 x 5 = 12;"
                        + " the leader could lose its key while retrying; add --force to write it anyway");
        assertThat(editor.plan(snapshot(), set("retry_timeout=5"), true).timingRule()).startsWith("ttl 10 is smaller");
    }

    @Test
    void a_budget_pushed_over_rto_target_is_refused_naming_the_ttl_that_fits() throws Exception {
        DcsConfigEditor editor = editor();
        assertThatThrownBy(() -> editor.plan(snapshot(), set("ttl=40"), false))
                .hasMessage("ttl: the worst-case node-loss RTO 44.5 s (ttl 40 s + promotion 2 s + HAProxy 2 s + reconnect 0.5 s) is over"
                        + " rto_target 35 s; patroni.ttl 40 s -> 30 s would make it 34.5 s; add --force to write it anyway");
        assertThat(editor.plan(snapshot(), set("ttl=40"), true).budget().overTarget()).isTrue();
    }

    @Test
    void the_diff_is_of_the_yaml_and_names_the_revisions() throws Exception {
        DcsConfigEditor.Plan plan = editor().plan(snapshot(), set("loop_wait=1"), false);
        List<String> diff = DcsConfigEdit.of(plan, false, 57L).unifiedDiff();
        assertThat(diff).containsExactly("--- /service/demo/config (revision 41)", "+++ /service/demo/config (revision 57)",
                "@@ -1,3 +1,3 @@", " ttl: 10", "-loop_wait: 2", "+loop_wait: 1", " retry_timeout: 4");
    }
}
