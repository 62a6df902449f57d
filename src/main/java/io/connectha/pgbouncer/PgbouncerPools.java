package io.connectha.pgbouncer;

import java.util.List;

/** {@code SHOW POOLS} of the PgBouncer at {@code address}, without the console's own pseudo-database. */
public record PgbouncerPools(String address, List<PgbouncerPool> pools) {
}
