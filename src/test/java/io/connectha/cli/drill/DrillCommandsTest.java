package io.connectha.cli.drill;

import io.connectha.cli.ExitCodes;
import io.connectha.support.CommandRun;
import io.connectha.support.TestClusters;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The drill subcommands' options and refusals, without a lab: each refusal comes before anything is touched. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class DrillCommandsTest {

    private static final String[] SHARED = {"--clients", "--duration", "--report", "--max-rto", "--max-lost-writes", "--max-error-rate",
            "--max-p95", "--max-rejoin", "--keep-table", "--yes"};

    @Test
    void switchover_takes_the_options_of_failover_through_the_mixin_but_no_fault() {
        String switchover = CommandRun.of("ha", "drill", "switchover", "--help").out();
        String failover = CommandRun.of("ha", "drill", "failover", "--help").out();
        assertThat(switchover).contains(SHARED).doesNotContain("--fault=KIND");
        assertThat(failover).contains(SHARED).contains("--fault=KIND");
        assertThat(switchover).contains("Client RTO threshold (default: 30s)").contains("Writing clients (default: 4)");
    }

    @Test
    void rejoin_and_split_brain_have_their_own_thresholds() {
        assertThat(CommandRun.of("ha", "drill", "rejoin", "--help").out())
                .contains("--diverge", "--max-rejoin", "--report", "--clients", "default: 60s").doesNotContain("--max-rto");
        assertThat(CommandRun.of("ha", "drill", "split-brain", "--help").out())
                .contains("--before", "--after", "--max-rejoin", "--report").doesNotContain("--clients");
    }

    @ParameterizedTest
    @ValueSource(strings = {"switchover", "rejoin", "split-brain"})
    void a_cluster_that_does_not_allow_drills_is_refused_without_yes(String drill, @TempDir Path dir) throws IOException {
        Path file = dir.resolve("cluster.yaml");
        Files.writeString(file, TestClusters.minimal(dir));
        CommandRun run = CommandRun.of("ha", "-c", file.toString(), "drill", drill);
        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).contains("the cluster file does not allow drills (drills: allowed); give --yes to run one anyway");
        assertThat(run.out()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"rejoin", "split-brain"})
    void process_drills_refuse_a_cluster_that_is_not_a_lab(String drill, @TempDir Path dir) throws IOException {
        Path file = dir.resolve("cluster.yaml");
        Files.writeString(file, TestClusters.minimal(dir) + "drills: allowed\n");
        CommandRun run = CommandRun.of("ha", "-c", file.toString(), "drill", drill);
        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).contains("drill " + drill + " stops and starts the leader's Patroni and PostgreSQL, so it needs a lab's "
                + "cluster file (connect ha lab up)");
        assertThat(run.out()).isEmpty();
    }
}
