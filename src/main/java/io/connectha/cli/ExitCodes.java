package io.connectha.cli;

/**
 * Exit codes, the same for every command; --help lists them (messages.properties). Checks use the
 * Nagios codes 0-3 instead and say so in their own --help.
 */
public final class ExitCodes {
    public static final int OK = 0;
    public static final int FAILURE = 1;
    public static final int USAGE = 2;
    /** Status found problems, though everything answered. */
    public static final int DEGRADED = 4;
    public static final int UNREACHABLE = 5;
    public static final int AUTHENTICATION_FAILED = 6;
    public static final int MISSING_PROGRAM = 7;
    public static final int INTERRUPTED = 130;

    private ExitCodes() {
    }
}
