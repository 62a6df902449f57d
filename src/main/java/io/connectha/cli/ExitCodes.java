package io.connectha.cli;

/**
 * Exit codes, the same meaning for every command. Each command's --help lists the ones it can return:
 * a command names its list with {@code exitCodeList} built from the lines below, and one that names none
 * gets {@link #NETWORK_COMMAND} (see {@link Main}). The checks use the Nagios codes 0-3 instead and list them.
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
    /** What the command was to change changed since it was read: nothing was written. */
    public static final int CONFLICT = 8;
    public static final int INTERRUPTED = 130;

    // the lines of the "Exit codes:" section of --help; the key is padded so that 130 lines up
    public static final String LINE_OK = "  0:OK.";
    public static final String LINE_FAILURE = "  1:Failure: the command could not do what was asked.";
    public static final String LINE_USAGE = "  2:Usage error or invalid input, a bad cluster file included.";
    public static final String LINE_DEGRADED = "  4:Degraded: problems were found, though everything answered.";
    public static final String LINE_UNREACHABLE = "  5:A component (PostgreSQL, Patroni, etcd, HAProxy, PgBouncer) could not be reached in time.";
    public static final String LINE_AUTHENTICATION_FAILED = "  6:A component refused our credentials.";
    public static final String LINE_MISSING_PROGRAM = "  7:A program the command needs is missing: see scripts/install-deps.sh.";
    public static final String LINE_CONFLICT = "  8:Conflict: what was to be changed changed since it was read; nothing was written, run again.";
    public static final String LINE_INTERRUPTED = "130:Interrupted (Ctrl-C).";

    public static final String NAGIOS_HEADING = "%nExit codes (Nagios plugin states):%n";
    public static final String LINE_NAGIOS_OK = "0:OK.";
    public static final String LINE_NAGIOS_UNKNOWN = "3:UNKNOWN: the check could not measure: a bad option or cluster file, no leader reachable, or its deadline passed.";

    /** Every code: the list {@code connect} and {@code connect ha} show. */
    static final String[] ALL = {LINE_OK, LINE_FAILURE, LINE_USAGE, LINE_DEGRADED, LINE_UNREACHABLE, LINE_AUTHENTICATION_FAILED,
            LINE_MISSING_PROGRAM, LINE_CONFLICT, LINE_INTERRUPTED};
    /** A command that asks the components and judges nothing: it neither reports "degraded" nor starts programs. */
    static final String[] NETWORK_COMMAND = {LINE_OK, LINE_FAILURE, LINE_USAGE, LINE_UNREACHABLE, LINE_AUTHENTICATION_FAILED, LINE_INTERRUPTED};

    private ExitCodes() {
    }
}
