package io.connectha.pgbouncer;

import io.connectha.error.ConnectError;

import java.util.regex.Pattern;

/**
 * A change sent to PgBouncer's console: a fixed word, and for PAUSE and RESUME an optional
 * database. The console parses an unquoted argument as letters, digits and underscores; anything
 * else is refused here, before it could reach the console.
 */
public record ConsoleCommand(Verb verb, String database) {

    public enum Verb { PAUSE, RESUME, RELOAD }

    /** PgBouncer's own limit is PostgreSQL's: 63 bytes. */
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}");

    public ConsoleCommand {
        if (database != null) {
            if (verb == Verb.RELOAD) {
                throw new IllegalArgumentException("RELOAD takes no database");
            }
            requireDatabaseName(database);
        }
    }

    public static void requireDatabaseName(String name) {
        if (!IDENTIFIER.matcher(name).matches()) {
            throw ConnectError.invalidInput("database name '" + name.replaceAll("\\p{Cntrl}", "?")
                    + "' is not a plain identifier (a letter or underscore, then letters, digits, underscores; at most 63)");
        }
    }

    public String sql() {
        return database == null ? verb.name() : verb.name() + " " + database;
    }
}
