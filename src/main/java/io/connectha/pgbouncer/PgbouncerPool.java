package io.connectha.pgbouncer;

import java.time.Duration;

/**
 * A row of PgBouncer's {@code SHOW POOLS}: clients and server connections of one database/user pair.
 *
 * @param database the pool's name, the one clients log in to (PgBouncer's {@code database} column)
 * @param clActive clients linked to a server connection or idle; in {@code status}, without connect's own probe
 * @param dbname   the PostgreSQL database the pool reaches ({@code SHOW DATABASES}); another name for an alias,
 *                 null when not asked
 */
public record PgbouncerPool(String database, String user, int clActive, int clWaiting, int svActive, int svIdle,
                            int svUsed, Duration maxWait, String poolMode, String dbname) {

    public PgbouncerPool(String database, String user, int clActive, int clWaiting, int svActive, int svIdle,
                         int svUsed, Duration maxWait, String poolMode) {
        this(database, user, clActive, clWaiting, svActive, svIdle, svUsed, maxWait, poolMode, null);
    }

    /** The pool's name is not the database's: an alias. */
    public boolean isAlias() {
        return dbname != null && !dbname.equals(database);
    }
}
