package io.connectha.check;

import io.connectha.cluster.ClusterFileLoader;
import io.connectha.cluster.LoadedCluster;
import io.connectha.cluster.Problem;
import io.connectha.status.ClusterStatus;
import io.connectha.support.TestClusters;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code check}'s rto_budget warning, judged from hand-made live timings on the example file (rto_target 35s, HAProxy 1 s x 2). */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class RtoBudgetWarningTest {

    private static ClusterCheck check() throws Exception {
        LoadedCluster cluster = new ClusterFileLoader(TestClusters.exampleSecrets()).load(TestClusters.EXAMPLE);
        return new ClusterCheck(cluster, null);
    }

    private static ClusterStatus.DcsConfig live(int ttl, int loopWait, int retryTimeout) {
        return new ClusterStatus.DcsConfig(true, "etcd", ttl, loopWait, retryTimeout, 1L << 20, false, true, true, Map.of(), List.of(), null);
    }

    @Test
    void live_timings_within_the_target_raise_no_warning() throws Exception {
        assertThat(check().rtoBudget(live(30, 10, 10))).isEmpty();
    }

    @Test
    void a_live_ttl_that_puts_the_budget_over_target_is_a_warning_naming_the_ttl_that_fits() throws Exception {
        Problem p = check().rtoBudget(live(40, 10, 10)).orElseThrow();
        assertThat(p.severity()).isEqualTo(Problem.Severity.warning);
        assertThat(p.code()).isEqualTo("rto_budget");
        assertThat(p.message()).isEqualTo("the worst-case node-loss RTO 44.5 s (ttl 40 s + promotion 2 s + HAProxy 2 s + reconnect 0.5 s)"
                + " is over rto_target 35 s; patroni.ttl 40 s -> 30 s would make it 34.5 s (live DCS config)");
    }

    @Test
    void without_the_live_config_the_files_timings_count_and_say_so() throws Exception {
        ClusterStatus.DcsConfig file = new ClusterStatus.DcsConfig(false, "cluster file", 45, 10, 10, 1L << 20, false, true, true,
                Map.of(), List.of(), "no etcd");
        assertThat(check().rtoBudget(file).orElseThrow().message()).endsWith("(cluster file)").contains("RTO 49.5 s");
    }
}
