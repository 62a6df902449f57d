package io.connectha.cli;

import io.connectha.error.ConnectError;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

import java.io.PrintWriter;

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
            return unknown(cmd, plugin, firstLine(ex.getMessage()), ex);
        }
        err.println(cmd.getColorScheme().errorText("connect: " + firstLine(ex.getMessage())));
        // a bad value is named with its option and what it should be: the one line says all; a hint adds nothing
        if (!(ex.getCause() instanceof CommandLine.TypeConversionException)) {
            err.println("Try '" + cmd.getCommandSpec().qualifiedName() + " --help' for more information.");
        }
        if (global.verbose()) {
            ex.printStackTrace(err);
        }
        err.flush();
        return ExitCodes.USAGE;
    }

    @Override
    public int handleExecutionException(Exception ex, CommandLine cmd, ParseResult parseResult) {
        PrintWriter err = cmd.getErr();
        if (cmd.getCommandSpec().userObject() instanceof NagiosPlugin plugin && !(ex instanceof ExitException)) {
            return unknown(cmd, plugin, firstLine(ex.getMessage() == null ? ex.getClass().getSimpleName() : ex.getMessage()), ex);
        }
        int code = exitCode(ex);
        String message = ex.getMessage();
        if (ex instanceof ExitException && message == null) {
            return code;
        }
        if (code == ExitCodes.FAILURE && !(ex instanceof ConnectError) && !(ex instanceof ExitException)) {
            message = ex.getClass().getSimpleName() + (message == null ? "" : ": " + message);
        }
        err.println(cmd.getColorScheme().errorText("connect: " + firstLine(message)));
        if (global.verbose()) {
            ex.printStackTrace(err);
        }
        err.flush();
        return code;
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

    private static String firstLine(String message) {
        if (message == null) {
            return "unexpected error";
        }
        return message.lines().findFirst().orElse(message).strip();
    }
}
