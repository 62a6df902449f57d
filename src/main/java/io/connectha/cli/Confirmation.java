package io.connectha.cli;

import picocli.CommandLine.Model.CommandSpec;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Asks before a disruptive change. The question goes to stderr and the answer comes from stdin,
 * so stdout stays clean for the result. Without a terminal on stdin nobody can answer: the change
 * is refused (exit 2) unless {@code --yes} was given, so that a script never hangs on a prompt nor
 * gets a change it did not state.
 */
public final class Confirmation {

    private final PrintWriter err;
    private final BufferedReader in;
    private final boolean interactive;

    public Confirmation(PrintWriter err, BufferedReader in, boolean interactive) {
        this.err = err;
        this.in = in;
        this.interactive = interactive;
    }

    /** For a command: stderr from picocli, stdin from the process. */
    public static Confirmation onTerminal(CommandSpec spec) {
        return new Confirmation(spec.commandLine().getErr(),
                new BufferedReader(new InputStreamReader(System.in, Charset.defaultCharset())), stdinIsTerminal());
    }

    /**
     * Returns when the change may go ahead: {@code yes} was given, or the user answered y.
     *
     * @param change what is about to happen and why it matters, one sentence
     * @throws ExitException exit 2 when stdin is not a terminal and {@code yes} is false; exit 1 when the user declines
     */
    public void require(String change, boolean yes) {
        if (yes) {
            return;
        }
        if (!interactive) {
            throw new ExitException(ExitCodes.USAGE, change + ": not confirmed; stdin is not a terminal, so add --yes to go ahead");
        }
        err.print(change + ". Continue? [y/N] ");
        err.flush();
        String answer;
        try {
            answer = in.readLine();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (answer == null) {
            err.println();
        }
        String a = answer == null ? "" : answer.strip().toLowerCase(Locale.ROOT);
        if (!a.equals("y") && !a.equals("yes")) {
            throw new ExitException(ExitCodes.FAILURE, "not confirmed: nothing was changed");
        }
    }

    /** Whether {@link #require} would put the question, so that a command can show what it is about first. */
    public boolean asks(boolean yes) {
        return !yes && interactive;
    }

    /**
     * System.console() is null as soon as stdout is redirected, even with a person at the keyboard
     * ({@code connect ... | tee}); what matters is where the answer comes from, stdin.
     */
    static boolean stdinIsTerminal() {
        if (System.console() != null) {
            return true;
        }
        try {
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/0")).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty") || target.equals("/dev/console");
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return false;
        }
    }
}
