package io.connectha.pgbouncer;

import java.time.Duration;

/** A row of PgBouncer's {@code SHOW POOLS}: clients and server connections of one database/user pair. */
public record PgbouncerPool(String database, String user, int clActive, int clWaiting, int svActive, int svIdle,
                            int svUsed, Duration maxWait, String poolMode) {
}
