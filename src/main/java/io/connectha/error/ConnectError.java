package io.connectha.error;

/**
 * An error the tool reports to the user as one line. The {@link Kind} says what went wrong in
 * terms the command line maps to an exit code; the domain never knows about exit codes.
 */
public class ConnectError extends RuntimeException {

    public enum Kind {
        /** Bad input: a cluster file, an option value, a missing secret. */
        INVALID_INPUT,
        /** A component (PostgreSQL, Patroni, etcd, HAProxy, PgBouncer) could not be reached in time. */
        UNREACHABLE,
        /** A component answered but refused our credentials. */
        AUTHENTICATION_FAILED,
        /** A program the command needs is not installed. */
        MISSING_PROGRAM,
        /** Anything else that failed. */
        FAILURE
    }

    private final Kind kind;

    public ConnectError(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public ConnectError(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }

    public static ConnectError invalidInput(String message) {
        return new ConnectError(Kind.INVALID_INPUT, message);
    }

    public static ConnectError failure(String message, Throwable cause) {
        return new ConnectError(Kind.FAILURE, message, cause);
    }

    /** "could not reach etcd at 127.0.0.1:2379 within 2s: connection refused" */
    public static ConnectError unreachable(String component, String address, java.time.Duration timeout,
                                           String reason, Throwable cause) {
        return new ConnectError(Kind.UNREACHABLE, "could not reach " + component + " at " + address
                + " within " + timeout.toMillis() + " ms: " + reason, cause);
    }

    public static ConnectError authenticationFailed(String component, String address, Throwable cause) {
        return new ConnectError(Kind.AUTHENTICATION_FAILED,
                "authentication failed for " + component + " at " + address, cause);
    }
}
