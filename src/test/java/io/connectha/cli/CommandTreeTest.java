package io.connectha.cli;

import io.connectha.support.CommandRun;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class CommandTreeTest {

    @Test
    void every_subcommand_appears_in_its_parents_help_with_exit_codes() {
        List<CommandLine> all = new ArrayList<>();
        collect(Main.newCommandLine(), all);
        for (CommandLine cmd : all) {
            String help = cmd.getUsageMessage();
            assertThat(help).as(cmd.getCommandSpec().qualifiedName()).contains("Exit codes").contains("0   OK");
            for (String sub : cmd.getSubcommands().keySet()) {
                assertThat(help).as(cmd.getCommandSpec().qualifiedName()).contains("  " + sub);
            }
            assertThat(cmd.getCommandSpec().usageMessage().description())
                    .as("description of " + cmd.getCommandSpec().qualifiedName()).isNotEmpty();
        }
    }

    private static void collect(CommandLine cmd, List<CommandLine> into) {
        into.add(cmd);
        cmd.getSubcommands().values().stream().distinct().forEach(c -> collect(c, into));
    }

    /** What a run prints with the tree {@code Main} builds for these arguments. */
    private static String[] runPartial(String... args) {
        java.io.StringWriter out = new java.io.StringWriter();
        java.io.StringWriter err = new java.io.StringWriter();
        CommandLine cmd = Main.commandLineFor(args);
        cmd.setOut(new java.io.PrintWriter(out, true));
        cmd.setErr(new java.io.PrintWriter(err, true));
        int code = cmd.execute(args);
        return new String[]{String.valueOf(code), out.toString(), err.toString()};
    }

    @Test
    void a_partial_tree_answers_as_the_whole_tree_does() {
        for (String[] args : List.of(new String[]{"--help"}, new String[]{"--version"}, new String[]{"-h", "-v"}, new String[]{},
                new String[]{"ha", "lag", "check", "--help"}, new String[]{"ha", "status", "--help"}, new String[]{"--no-such"}, new String[]{"ha", "no-such"},
                new String[]{"ha", "lag", "check", "--no-such"}, new String[]{"ha", "lag", "no-such"}, new String[]{"ha", "lag"},
                new String[]{"ha", "status", "help"}, new String[]{"ha", "patroni", "list", "-o", "nope"})) {
            CommandRun whole = CommandRun.of(args);
            String[] partial = runPartial(args);
            assertThat(partial[0]).as(String.join(" ", args)).isEqualTo(String.valueOf(whole.exitCode()));
            assertThat(partial[1]).as(String.join(" ", args)).isEqualTo(whole.out());
            assertThat(partial[2]).as(String.join(" ", args)).isEqualTo(whole.err());
        }
    }

    @Test
    void a_run_without_a_command_builds_nothing_below_ha() {
        CommandLine root = CommandTree.forArgs(new ConnectCommand(), new String[]{"--version"});
        assertThat(root.getSubcommands()).containsKeys("ha", "help");
        assertThat(root.getSubcommands().get("ha").getSubcommands()).isEmpty();
        CommandLine lag = CommandTree.forArgs(new ConnectCommand(), new String[]{"-c", "x.yaml", "ha", "lag", "check"});
        assertThat(lag.getSubcommands().get("ha").getSubcommands()).containsOnlyKeys("lag");
        assertThat(lag.getSubcommands()).as("a run below ha cannot reach the root's help command").containsOnlyKeys("ha");
        // a context named 'status' is the option's value, not the command
        CommandLine named = CommandTree.forArgs(new ConnectCommand(), new String[]{"ha", "--context", "status", "lag", "check"});
        assertThat(named.getSubcommands().get("ha").getSubcommands()).containsOnlyKeys("lag");
    }

    @Test
    void ha_help_shows_the_tree() {
        CommandRun run = CommandRun.of("ha", "--help");
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("Usage: connect ha").contains("config").contains("-c, --cluster=FILE");
    }

    @Test
    void version_names_the_tool() {
        CommandRun run = CommandRun.of("--version");
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).startsWith("connect ");
    }

    @Test
    void a_usage_error_exits_2_with_one_line_and_no_hint() {
        CommandRun run = CommandRun.of("ha", "config", "generate", "--no-such-option");
        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err().lines()).containsExactly("connect: unknown option '--no-such-option' for 'connect ha config generate'");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void a_bad_component_name_is_a_usage_error() {
        CommandRun run = CommandRun.of("ha", "config", "generate", "mysql");
        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).contains("mysql");
    }

    @Test
    void a_bad_cluster_file_exits_2_with_one_line_and_no_stack_trace(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("cluster.yaml");
        Files.writeString(file, "name: x\nmembers:\n  - name: a\n    host: 10.0.0.1\n    port: 99999\netcd:\n  members: [{name: e1, host: 10.0.0.2}]\n");
        CommandRun run = CommandRun.of("ha", "-c", file.toString(), "config", "show");
        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err().lines()).hasSize(1);
        assertThat(run.err()).startsWith("connect: " + file + ":5:11: members[0].port: 99999 is out of range");
        assertThat(run.err()).doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Test
    void verbose_adds_the_stack_trace(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("cluster.yaml");
        Files.writeString(file, "name: x\nmembers: 3\n");
        CommandRun run = CommandRun.of("ha", "config", "show", "-v", "--cluster", file.toString());
        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).contains("ClusterFileException").contains("\tat ");
    }

    @Test
    void the_cluster_option_is_accepted_before_or_after_the_subcommand(@TempDir Path dir) {
        Path missing = dir.resolve("missing.yaml");
        assertThat(CommandRun.of("-c", missing.toString(), "ha", "config", "show").err()).contains(missing.toString());
        assertThat(CommandRun.of("ha", "config", "show", "-c", missing.toString()).err()).contains(missing.toString());
    }
}
