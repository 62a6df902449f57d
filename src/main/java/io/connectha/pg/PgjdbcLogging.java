package io.connectha.pg;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * pgjdbc logs through java.util.logging straight to stderr; its warnings (such as PgBouncer's
 * "unsupported server version") are noise unless debugging, so its loggers are off unless
 * {@code -v}. The level is applied when pgjdbc is first used ({@link PgConnector}'s
 * initialisation), not at start-up: java.util.logging's own start costs a fresh JVM about 18 ms
 * (measured), which a command that never opens a JDBC connection ({@code --help},
 * {@code patroni list}) should not pay.
 */
public final class PgjdbcLogging {

    private static boolean verbose;
    /** Held so that the JDK does not collect it and forget its level. */
    private static Logger logger;

    private PgjdbcLogging() {
    }

    /** Debug logging wanted ({@code -v}) or not; applied now if pgjdbc is already in use, else when it is. */
    public static synchronized void verbose(boolean on) {
        verbose = on;
        if (logger != null) {
            apply();
        }
    }

    /** Called before pgjdbc's first use. */
    static synchronized void install() {
        if (logger == null) {
            logger = Logger.getLogger("org.postgresql");
        }
        apply();
    }

    private static void apply() {
        logger.setLevel(verbose ? Level.FINE : Level.OFF);
    }
}
