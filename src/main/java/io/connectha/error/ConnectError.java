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

    /** "could not reach etcd at 127.0.0.1:2379 over TLS: its certificate is not signed by the CA in /etc/ca.crt" */
    public static ConnectError tls(String component, String address, String reason, Throwable cause) {
        return new ConnectError(Kind.UNREACHABLE, "could not reach " + component + " at " + address + " over TLS: " + reason, cause);
    }

    /**
     * "cannot write /x/y: permission denied": an I/O failure as one line, with the system's reason
     * in words rather than the exception's name. {@code doing} is "write", "read", "create"...
     */
    public static ConnectError io(String doing, java.nio.file.Path path, java.io.IOException cause) {
        String reason = ioReason(cause);
        String other = cause instanceof java.nio.file.FileSystemException f && f.getFile() != null
                && !f.getFile().equals(String.valueOf(path)) ? f.getFile() : null;
        return new ConnectError(Kind.FAILURE, "cannot " + doing + " " + path + ": " + reason
                + (other == null ? "" : " (" + other + ")"), cause);
    }

    /** What went wrong, in the words of strerror: "permission denied", "is a directory", "read-only file system". */
    public static String ioReason(java.io.IOException e) {
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof java.nio.file.NoSuchFileException) {
            return "no such file or directory";
        }
        if (e instanceof java.nio.file.NotDirectoryException) {
            return "not a directory";
        }
        if (e instanceof java.nio.file.FileAlreadyExistsException) {
            return "file exists";
        }
        if (e instanceof java.nio.file.DirectoryNotEmptyException) {
            return "directory not empty";
        }
        if (e instanceof java.nio.file.FileSystemException f && f.getReason() != null) {
            return lowerFirst(f.getReason());
        }
        if (e.getCause() instanceof java.io.IOException inner && inner != e) {
            return ioReason(inner);
        }
        String message = e.getMessage();
        return message == null || message.isBlank() ? "input/output error" : lowerFirst(message.lines().findFirst().orElse(message));
    }

    private static String lowerFirst(String text) {
        // "Is a directory" reads as part of a sentence; an acronym ("EOF") stays as it is
        if (text.length() > 1 && Character.isUpperCase(text.charAt(0)) && Character.isLowerCase(text.charAt(1))) {
            return Character.toLowerCase(text.charAt(0)) + text.substring(1);
        }
        return text;
    }

    public static ConnectError authenticationFailed(String component, String address, Throwable cause) {
        return new ConnectError(Kind.AUTHENTICATION_FAILED,
                "authentication failed for " + component + " at " + address, cause);
    }
}
