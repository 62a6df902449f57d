package io.connectha.cli;

import picocli.CommandLine.Model.CommandSpec;

import java.io.Console;
import java.io.PrintWriter;
import java.util.Locale;

/**
 * Asks before a destructive command, on the terminal. Without a terminal (cron, CI, a pipe) there
 * is nobody to ask: the command refuses unless {@code --yes} was given.
 */
public final class Confirmation {

    private Confirmation() {
    }

    /** Returns when confirmed; otherwise ends the command (exit 2 without a terminal, 1 when declined). */
    public static void require(CommandSpec spec, boolean yes, String action) {
        if (yes) {
            return;
        }
        Console console = System.console();
        if (console == null) {
            throw new ExitException(ExitCodes.USAGE, "refusing to " + action + " without --yes: there is no terminal to ask");
        }
        PrintWriter err = spec.commandLine().getErr();
        err.print("About to " + action + ". Continue? [y/N] ");
        err.flush();
        String answer = console.readLine();
        if (answer == null || !answer.strip().toLowerCase(Locale.ROOT).matches("y|yes")) {
            throw new ExitException(ExitCodes.FAILURE, "not confirmed; nothing done");
        }
    }
}
