package io.connectha.cli;

import io.connectha.error.ConnectError;
import io.connectha.units.Printable;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

import java.io.PrintWriter;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Turns every failure into one line on stderr and an exit code. A stack trace is printed only
 * with -v.
 */
final class ErrorHandler implements IExecutionExceptionHandler, IParameterExceptionHandler {

    private final GlobalOptions global;

    ErrorHandler(GlobalOptions global) {
        this.global = global;
    }

    @Override
    public int handleParseException(ParameterException ex, String[] args) {
        CommandLine cmd = ex.getCommandLine();
        PrintWriter err = cmd.getErr();
        if (cmd.getCommandSpec().userObject() instanceof NagiosPlugin plugin) {
            return unknown(cmd, plugin, Printable.visible(usageMessage(ex)), ex);
        }
        // one line, no "Try --help" hint: the line names what is wrong and, where picocli can tell, what was meant
        err.println(cmd.getColorScheme().errorText("connect: " + Printable.visible(usageMessage(ex))));
        if (global.verbose()) {
            ex.printStackTrace(err);
        }
        err.flush();
        return ExitCodes.USAGE;
    }

    /**
     * The usage error in words, on one line. An argument picocli could not match becomes "unknown
     * command" or "unknown option" with picocli's suggestion, or with the list of valid commands
     * when nothing is close; any other parse error keeps picocli's own message.
     */
    static String usageMessage(ParameterException ex) {
        if (!(ex instanceof CommandLine.UnmatchedArgumentException unmatched) || unmatched.getUnmatched().isEmpty()) {
            return oneLine(ex.getMessage());
        }
        CommandLine cmd = ex.getCommandLine();
        String command = cmd.getCommandSpec().qualifiedName();
        String first = unmatched.getUnmatched().get(0);
        if (unmatched.isUnknownOption()) {
            String option = first.contains("=") ? first.substring(0, first.indexOf('=')) : first;
            List<String> close = closest(option, unmatched.getSuggestions(), cmd.getCommandSpec().optionsMap().keySet());
            return "unknown option '" + option + "' for '" + command + "'" + (close.isEmpty() ? "" : "; did you mean " + quotedOr(close) + "?");
        }
        Map<String, CommandLine> subcommands = cmd.getSubcommands();
        if (!subcommands.isEmpty()) {
            List<String> valid = subcommands.keySet().stream().filter(name -> !name.equals("help")).toList();
            List<String> close = closest(first, unmatched.getSuggestions(), valid);
            return "unknown command '" + first + "' for '" + command + "'"
                    + (close.isEmpty() ? "; valid commands: " + String.join(", ", valid) : "; did you mean " + quotedOr(close) + "?");
        }
        List<String> extra = unmatched.getUnmatched();
        return "unexpected argument" + (extra.size() > 1 ? "s " : " ")
                + extra.stream().map(a -> "'" + a + "'").collect(Collectors.joining(" "))
                + " for '" + command + "'" + (cmd.getCommandSpec().positionalParameters().isEmpty() ? " (it takes no arguments)" : "");
    }

    /**
     * The names close enough to what was typed to be what was meant: a typo or two (a swapped pair counts
     * as one), or the start of a name. picocli's own suggestions are taken as candidates too, but only when
     * they are that close: its similarity measure offers 'haproxy' for 'xyzzy' and misses 'list' for 'lsit'.
     */
    static List<String> closest(String typed, Collection<String> suggestions, Collection<String> valid) {
        Set<String> candidates = new LinkedHashSet<>(valid);
        candidates.addAll(suggestions);
        String bare = typed.replaceFirst("^-+", "");
        if (bare.length() <= 1) {
            // one letter is a typo away from every other short option: no guess is better than a wrong one
            return List.of();
        }
        int allowed = bare.length() <= 3 ? 1 : 2;
        Map<String, Integer> distance = new LinkedHashMap<>();
        for (String name : candidates) {
            String candidate = name.replaceFirst("^-+", "");
            if (typed.startsWith("--") != name.startsWith("--") && typed.startsWith("-") && name.startsWith("-")) {
                continue;
            }
            int d = editDistance(bare, candidate);
            if (d <= allowed || (bare.length() >= 3 && candidate.startsWith(bare))) {
                distance.put(name, d);
            }
        }
        return distance.entrySet().stream().sorted(Map.Entry.comparingByValue()).limit(3).map(Map.Entry::getKey).toList();
    }

    /** Optimal string alignment distance: insertions, deletions, substitutions, and swaps of neighbours. */
    static int editDistance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }

    private static String quotedOr(List<String> names) {
        List<String> quoted = names.stream().map(n -> "'" + n + "'").toList();
        if (quoted.size() == 1) {
            return quoted.get(0);
        }
        return String.join(", ", quoted.subList(0, quoted.size() - 1)) + " or " + quoted.get(quoted.size() - 1);
    }

    @Override
    public int handleExecutionException(Exception ex, CommandLine cmd, ParseResult parseResult) {
        PrintWriter err = cmd.getErr();
        if (cmd.getCommandSpec().userObject() instanceof NagiosPlugin plugin && !(ex instanceof ExitException)) {
            String reason = ex instanceof io.connectha.cluster.UnknownContextException u ? u.messageWith(closest(u.name(), List.of(), u.known()))
                    : ex.getMessage() == null ? ex.getClass().getSimpleName() : ex.getMessage();
            return unknown(cmd, plugin, Printable.visible(ex instanceof ConnectError ? oneLine(reason) : firstLine(reason)), ex);
        }
        int code = exitCode(ex);
        String message = ex.getMessage();
        // connect's own messages are one line by design, so a newline in one comes from a value it quotes: it is
        // shown escaped, never cut; a library's message may run on with details, so only its first line is shown
        boolean known = ex instanceof ConnectError || ex instanceof ExitException;
        if (ex instanceof ExitException && message == null) {
            return code;
        }
        if (ex instanceof io.connectha.cluster.UnknownContextException u) {
            message = u.messageWith(closest(u.name(), List.of(), u.known()));
        } else if (ex instanceof java.io.UncheckedIOException u) {
            message = ioMessage(u);
            known = true;
        } else if (code == ExitCodes.FAILURE && !(ex instanceof ConnectError) && !(ex instanceof ExitException)) {
            message = ex.getClass().getSimpleName() + (message == null ? "" : ": " + message);
        }
        err.println(cmd.getColorScheme().errorText("connect: " + Printable.visible(known ? oneLine(message) : firstLine(message))));
        if (global.verbose()) {
            ex.printStackTrace(err);
        }
        err.flush();
        return code;
    }

    /**
     * A file operation that failed, in the words of strerror ("/x/y: permission denied", "cannot write
     * passfile /x: read-only file system"), never the exception's class name or Java's wording.
     */
    static String ioMessage(java.io.UncheckedIOException u) {
        java.io.IOException io = u.getCause();
        String reason = ConnectError.ioReason(io);
        String file = io instanceof java.nio.file.FileSystemException f ? f.getFile() : null;
        String own = u.getMessage();
        if (own == null || own.equals(io.toString())) {
            return file == null ? reason : file + ": " + reason;
        }
        String detail = io.getMessage();
        if (detail != null && !detail.isEmpty() && own.endsWith(detail)) {
            return own.substring(0, own.length() - detail.length()) + reason;
        }
        return own.contains(reason) ? own : own + ": " + reason;
    }

    /** A monitoring plugin that cannot measure says UNKNOWN, on stdout where the monitoring system reads it. */
    private int unknown(CommandLine cmd, NagiosPlugin plugin, String reason, Exception ex) {
        cmd.getOut().println(plugin.serviceName() + " UNKNOWN - " + reason);
        cmd.getOut().flush();
        if (global.verbose()) {
            ex.printStackTrace(cmd.getErr());
            cmd.getErr().flush();
        }
        return NagiosPlugin.UNKNOWN;
    }

    static int exitCode(Throwable ex) {
        if (ex instanceof ExitException e) {
            return e.exitCode();
        }
        if (ex instanceof ConnectError e) {
            return switch (e.kind()) {
                case INVALID_INPUT -> ExitCodes.USAGE;
                case UNREACHABLE -> ExitCodes.UNREACHABLE;
                case AUTHENTICATION_FAILED -> ExitCodes.AUTHENTICATION_FAILED;
                case MISSING_PROGRAM -> ExitCodes.MISSING_PROGRAM;
                case FAILURE -> ExitCodes.FAILURE;
            };
        }
        if (ex instanceof InterruptedException) {
            return ExitCodes.INTERRUPTED;
        }
        return ExitCodes.FAILURE;
    }

    /** The whole message, without the line end a message may carry; inner newlines are escaped by the printer. */
    private static String oneLine(String message) {
        return message == null ? "unexpected error" : message.strip();
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unexpected error";
        }
        return message.lines().findFirst().orElse(message).strip();
    }
}
