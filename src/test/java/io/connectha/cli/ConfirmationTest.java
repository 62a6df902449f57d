package io.connectha.cli;

import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ConfirmationTest {

    private final StringWriter err = new StringWriter();

    private Confirmation confirmation(String typed, boolean interactive) {
        return new Confirmation(new PrintWriter(err, true), new BufferedReader(new StringReader(typed)), interactive);
    }

    @Test
    void yes_goes_ahead_without_asking() {
        confirmation("", false).require("Pausing PgBouncer holds every query", true);
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void without_a_terminal_and_without_yes_it_refuses_with_exit_2_and_never_reads() {
        assertThatThrownBy(() -> confirmation("y\n", false).require("Pausing PgBouncer holds every query", false))
                .isInstanceOf(ExitException.class)
                .satisfies(e -> assertThat(((ExitException) e).exitCode()).isEqualTo(ExitCodes.USAGE))
                .hasMessage("Pausing PgBouncer holds every query: not confirmed; stdin is not a terminal, so add --yes to go ahead");
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void on_a_terminal_it_asks_on_stderr_and_y_or_yes_goes_ahead() {
        confirmation("y\n", true).require("Disabling pg1 cuts writes", false);
        assertThat(err.toString()).isEqualTo("Disabling pg1 cuts writes. Continue? [y/N] ");
        confirmation(" YES \n", true).require("Disabling pg1 cuts writes", false);
    }

    @Test
    void anything_else_or_end_of_input_declines_with_exit_1() {
        for (String typed : new String[]{"n\n", "\n", "yep\n", ""}) {
            assertThatThrownBy(() -> confirmation(typed, true).require("Disabling pg1 cuts writes", false))
                    .isInstanceOf(ExitException.class)
                    .satisfies(e -> assertThat(((ExitException) e).exitCode()).isEqualTo(ExitCodes.FAILURE))
                    .hasMessage("not confirmed: nothing was changed");
        }
    }
}
