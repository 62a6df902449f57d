package io.connectha.cli;

import io.connectha.support.CommandRun;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Usage errors: one line on stderr, exit 2, what was meant where it can be told. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class UsageErrorsTest {

    @Test
    void a_mistyped_command_names_the_command_meant() {
        CommandRun run = CommandRun.of("ha", "stauts");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err().lines()).containsExactly("connect: unknown command 'stauts' for 'connect ha'; did you mean 'status'?");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void a_command_like_none_lists_the_valid_ones() {
        CommandRun run = CommandRun.of("ha", "pgbouncer", "zzz");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err().lines()).containsExactly("connect: unknown command 'zzz' for 'connect ha pgbouncer'; "
                + "valid commands: pools, stats, clients, servers, pause, resume, reload");
    }

    @Test
    void extra_arguments_are_named_on_one_line() {
        CommandRun run = CommandRun.of("ha", "etcd", "status", "x", "y");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err().lines()).containsExactly("connect: unexpected arguments 'x' 'y' for 'connect ha etcd status' (it takes no arguments)");
    }

    @Test
    void a_control_character_in_an_argument_is_shown_escaped() {
        CommandRun run = CommandRun.of("ha", "st\u001b[2J\natus");
        assertThat(run.err().lines()).hasSize(1).first().asString()
                .startsWith("connect: unknown command 'st\\e[2J\\natus' for 'connect ha'; valid commands: status, dashboard,");
    }

    @Test
    void close_names_are_a_typo_or_two_away_or_start_with_what_was_typed() {
        List<String> commands = List.of("status", "slots", "list", "haproxy");
        assertThat(ErrorHandler.closest("stauts", List.of(), commands)).containsExactly("status");
        assertThat(ErrorHandler.closest("lsit", List.of("slots"), commands)).containsExactly("list");
        assertThat(ErrorHandler.closest("stat", List.of(), commands)).containsExactly("status");
        assertThat(ErrorHandler.closest("xyzzy", List.of("haproxy"), commands)).isEmpty();
        assertThat(ErrorHandler.closest("-x", List.of("-o"), List.of("-o", "-h"))).isEmpty();
        assertThat(ErrorHandler.editDistance("stauts", "status")).isEqualTo(1);
        assertThat(ErrorHandler.editDistance("kitten", "sitting")).isEqualTo(3);
    }
}
