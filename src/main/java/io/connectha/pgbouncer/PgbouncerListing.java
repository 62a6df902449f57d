package io.connectha.pgbouncer;

import java.util.List;
import java.util.Map;

/**
 * A SHOW command's answer, by the columns PgBouncer returned: they differ between versions, so
 * they are passed on rather than mapped. Values are numbers or text, as PgBouncer typed them.
 *
 * @param command such as {@code SHOW STATS}
 * @param rows    column to value, in PgBouncer's column order
 */
public record PgbouncerListing(String address, String command, List<String> columns, List<Map<String, Object>> rows) {
}
