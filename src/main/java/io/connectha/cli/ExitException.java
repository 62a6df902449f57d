package io.connectha.cli;

/** Ends a command with a given exit code and a one-line message (none when the message is null). */
public final class ExitException extends RuntimeException {
    private final int exitCode;

    public ExitException(int exitCode, String message) {
        super(message, null, false, false);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}
