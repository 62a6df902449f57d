package io.connectha.cli.drill;

import io.connectha.cli.ExitCodes;
import io.connectha.support.CommandRun;
import io.connectha.support.TestClusters;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** drill chaos's options, exit codes and refusals, without a lab: each refusal is one line, before anything is touched. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class DrillChaosCommandTest {

    @TempDir
    Path dir;

    private Path cluster(String extra) throws IOException {
        Path file = dir.resolve("cluster.yaml");
        Files.writeString(file, TestClusters.minimal(dir) + extra);
        return file;
    }

    private static void assertRefused(CommandRun run, String message) {
        assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).contains(message);
        assertThat(run.err().strip().lines()).hasSize(1);
        assertThat(run.out()).isEmpty();
    }

    @Test
    void help_lists_the_options_the_faults_and_the_exit_codes() {
        String help = CommandRun.of("ha", "drill", "chaos", "--help").out();
        assertThat(help).contains("--duration=TIME", "--faults=FAULT[,FAULT...]", "--fault-for=TIME", "--heal-for=TIME", "--max-heal=TIME",
                "--seed=N", "--clients", "--via=PATH", "--report=DIR", "--keep-table", "--output=FORMAT", "--yes");
        assertThat(help).contains("default: 30m", "default: 60s", "default: 3m", "Writing clients (default: 4)");
        // every fault there is, by name
        for (io.connectha.drill.FaultKind k : io.connectha.drill.FaultKind.values()) {
            assertThat(java.util.regex.Pattern.compile(" " + k.option() + "[,. ]").matcher(help.replaceAll("\\s+", " ")).find())
                    .as(k.option()).isTrue();
        }
        assertThat(help).contains("Exit codes:", "0   OK.", "1   A violation: an acknowledged write lost", "2   Usage error", "5   A component",
                "6   A component refused our credentials.", "7   A program the command needs is missing", "130   Interrupted (Ctrl-C).");
        assertThat(CommandRun.of("ha", "drill", "--help").out()).contains("chaos");
    }

    @Test
    void an_unknown_fault_is_refused_with_the_list() throws IOException {
        Path file = cluster("drills: allowed\n");
        assertRefused(CommandRun.of("ha", "-c", file.toString(), "drill", "chaos", "--faults", "switchover,unplug"),
                "--faults: 'unplug' is not one of postmaster-kill, patroni-kill");
    }

    @Test
    void faults_are_required() throws IOException {
        Path file = cluster("drills: allowed\n");
        CommandRun run = CommandRun.of("ha", "-c", file.toString(), "drill", "chaos");
        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).contains("--faults");
    }

    @Test
    void a_cluster_that_does_not_allow_drills_is_refused_without_yes() throws IOException {
        Path file = cluster("");
        assertRefused(CommandRun.of("ha", "-c", file.toString(), "drill", "chaos", "--faults", "switchover"),
                "the cluster file does not allow drills (drills: allowed); give --yes to run one anyway");
    }

    @Test
    void a_process_fault_needs_a_lab_or_a_fault_command() throws IOException {
        Path file = cluster("drills: allowed\n");
        assertRefused(CommandRun.of("ha", "-c", file.toString(), "drill", "chaos", "--faults", "switchover,freeze-patroni"),
                "--faults freeze-patroni acts on processes, so it needs a lab's cluster file (connect ha lab up) or a drill_fault_command");
        assertRefused(CommandRun.of("ha", "-c", file.toString(), "drill", "chaos", "--faults", "partition-leader"),
                "--faults partition-leader acts on processes");
    }

    @Test
    void an_etcd_fault_needs_three_etcd_members() throws IOException {
        Path command = dir.resolve("fault.sh");
        Files.writeString(command, "#!/bin/sh\n");
        command.toFile().setExecutable(true);
        Path file = cluster("drills: allowed\ndrill_fault_command: " + command + "\n");
        assertRefused(CommandRun.of("ha", "-c", file.toString(), "drill", "chaos", "--faults", "dcs-outage"),
                "--faults dcs-outage needs 3 etcd members (this cluster has 1)");
    }

    @Test
    void bad_values_are_refused() throws IOException {
        Path file = cluster("drills: allowed\n");
        assertRefused(CommandRun.of("ha", "-c", file.toString(), "drill", "chaos", "--faults", "switchover", "--clients", "0"),
                "--clients must be at least 1");
        assertRefused(CommandRun.of("ha", "-c", file.toString(), "drill", "chaos", "--faults", "switchover", "--via", "pgpool"),
                "--via: 'pgpool' is not haproxy or pgbouncer");
        CommandRun zero = CommandRun.of("ha", "-c", file.toString(), "drill", "chaos", "--faults", "switchover", "--fault-for", "0");
        assertThat(zero.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(zero.err()).contains("'0' is not more than 0");
    }
}
