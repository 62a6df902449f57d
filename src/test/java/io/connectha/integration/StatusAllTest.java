package io.connectha.integration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.connectha.cli.ExitCodes;
import io.connectha.status.ClusterStatus;
import io.connectha.support.CommandRun;
import io.connectha.support.Health;
import io.connectha.support.LabExtension;
import io.connectha.support.LabExtension.RunningLab;
import io.connectha.support.LoopbackClusters;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code status --all} with two contexts: the running lab, and a cluster whose every component is dead
 * (ports nobody listens on). Run as its own process, with its own HOME and XDG_CONFIG_HOME.
 */
@Tag("integration")
@ExtendWith(LabExtension.class)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class StatusAllTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    void the_lab_and_a_dead_cluster_are_one_row_each_with_the_worst_exit_code_within_one_deadline(RunningLab lab) throws Exception {
        ClusterStatus healthy = Health.awaitHealthy(lab, Duration.ofSeconds(90));
        Path dead = LoopbackClusters.write(tmp.resolve("dead"), "dead", LoopbackClusters::deadPort);
        Map<String, String> env = Map.of("HOME", tmp.resolve("home").toString(), "XDG_CONFIG_HOME", tmp.resolve("xdg").toString());
        assertThat(CommandRun.inChild(tmp, env, "ha", "context", "add", "lab", lab.clusterFile().toString(), "--use").exitCode()).isZero();
        assertThat(CommandRun.inChild(tmp, env, "ha", "context", "add", "dead", dead.toString()).exitCode()).isZero();

        // a fresh JVM logs in to each member (SCRAM) within the connect timeout: on a busy 2-core machine 1 s is too short
        Duration connect = Duration.ofSeconds(3);
        Duration read = Duration.ofSeconds(3);
        // status's own deadline for these timeouts: connect + read + 0.5 s (StatusService.Options.deadline)
        Duration deadline = connect.plus(read).plusMillis(500);
        List<String> timeouts = List.of("--connect-timeout", connect.toSeconds() + "s", "--read-timeout", read.toSeconds() + "s");

        long start = System.nanoTime();
        CommandRun table = CommandRun.inChild(tmp, env, args(timeouts, "ha", "status", "--all"));
        Duration wall = Duration.ofNanos(System.nanoTime() - start);
        System.out.println("status --all, lab + dead cluster: " + wall.toMillis() + " ms wall (a fresh JVM included), exit " + table.exitCode());
        System.out.println(table.out());
        // the worst of 0 (the lab) and 5 (nothing of the dead cluster answers)
        assertThat(table.exitCode()).as(table.err()).isEqualTo(ExitCodes.UNREACHABLE);
        assertThat(table.err()).isEmpty();
        List<String> lines = table.out().lines().toList();
        assertThat(lines.get(0)).startsWith("1 of 2 clusters healthy").contains("(deadline 6.5 s)");
        assertThat(lines.get(1).split("\\s+")).containsExactly("CURRENT", "CONTEXT", "CLUSTER", "LEADER", "MEMBERS", "STATE", "PROBLEM");
        assertThat(lines.get(3).split("\\s+")).containsExactly("*", "lab", healthy.cluster(), healthy.leader(), "3/3", "healthy", "-");
        assertThat(lines.get(4)).matches("\\s+dead\\s+dead\\s+NONE\\s+0/2\\s+unreachable\\s+etcd_unreachable: .* \\(\\+\\d+ more\\)");
        // a fresh JVM's start on top of the one deadline (FleetStatusServiceTest shows hung clusters sharing it)
        assertThat(wall).isLessThan(deadline.plusSeconds(4));

        CommandRun json = CommandRun.inChild(tmp, env, args(timeouts, "ha", "status", "--all", "-o", "json"));
        assertThat(json.exitCode()).isEqualTo(ExitCodes.UNREACHABLE);
        JsonNode fleet = JSON.readTree(json.out());
        assertThat(fleet.get("deadline").asDouble()).isEqualTo(deadline.toMillis() / 1000.0);
        // measured inside the command: reading both files, then both clusters at once under the one deadline
        assertThat(fleet.get("took").asDouble()).isLessThan(deadline.toMillis() / 1000.0);
        JsonNode labRow = fleet.get("clusters").get(0);
        assertThat(labRow.get("context").asText()).isEqualTo("lab");
        assertThat(labRow.get("current").asBoolean()).isTrue();
        assertThat(labRow.get("cluster_file").asText()).isEqualTo(lab.clusterFile().toString());
        assertThat(labRow.get("verdict").asText()).isEqualTo("healthy");
        assertThat(labRow.get("leader").asText()).isEqualTo(healthy.leader());
        assertThat(labRow.get("members_up").asInt()).isEqualTo(3);
        assertThat(labRow.get("members_total").asInt()).isEqualTo(3);
        assertThat(labRow.get("problems").asInt()).isZero();
        assertThat(labRow.get("worst_problem").isNull()).isTrue();
        JsonNode deadRow = fleet.get("clusters").get(1);
        assertThat(deadRow.get("context").asText()).isEqualTo("dead");
        assertThat(deadRow.get("current").asBoolean()).isFalse();
        assertThat(deadRow.get("cluster").asText()).isEqualTo("dead");
        assertThat(deadRow.get("verdict").asText()).isEqualTo("unreachable");
        assertThat(deadRow.get("leader").isNull()).isTrue();
        assertThat(deadRow.get("members_up").asInt()).isZero();
        assertThat(deadRow.get("members_total").asInt()).isEqualTo(2);
        assertThat(deadRow.get("worst_problem").get("code").asText()).isEqualTo("etcd_unreachable");
        assertThat(deadRow.get("worst_problem").get("severity").asText()).isEqualTo("critical");
        assertThat(deadRow.get("problems").asInt()).isGreaterThan(1);

        // the current context alone, as status without --all: the lab is healthy
        CommandRun current = CommandRun.inChild(tmp, env, args(timeouts, "ha", "status", "-o", "json"));
        assertThat(current.exitCode()).as(current.err()).isZero();
        assertThat(JSON.readTree(current.out()).get("cluster").asText()).isEqualTo(healthy.cluster());
        CommandRun deadOnly = CommandRun.inChild(tmp, env, args(timeouts, "ha", "--context", "dead", "status", "-o", "json"));
        assertThat(deadOnly.exitCode()).isEqualTo(ExitCodes.UNREACHABLE);
        assertThat(JSON.readTree(deadOnly.out()).get("problems").get(0).get("code").asText()).isEqualTo("etcd_unreachable");
    }

    /** {@code first}, then the timeouts. */
    private static String[] args(List<String> timeouts, String... first) {
        return java.util.stream.Stream.concat(java.util.stream.Stream.of(first), timeouts.stream()).toArray(String[]::new);
    }
}
