package io.connectha.pgbouncer;

import java.util.List;
import java.util.Map;

/**
 * Where one of PgBouncer's databases sends its server connections, as {@code SHOW DATABASES} says it live: the file
 * connect generated may not be what runs.
 *
 * @param name   the pool's name, what clients log in to and what PAUSE names
 * @param dbname the PostgreSQL database it reaches
 * @param host   the server host; null or empty for a Unix socket
 * @param port   the server port
 * @param paused PAUSE of this database is in effect
 */
public record PgbouncerRoute(String name, String dbname, String host, int port, boolean paused) {

    /** The host and port, as {@code host:port}. */
    public String address() {
        return host + ":" + port;
    }

    public boolean overTcp() {
        return host != null && !host.isEmpty();
    }

    /** The rows of {@code SHOW DATABASES}, without the console's own pseudo-database. */
    public static List<PgbouncerRoute> of(List<Map<String, Object>> showDatabases) {
        return showDatabases.stream()
                .filter(r -> !PgbouncerAdmin.CONSOLE_DATABASE.equals(r.get("name")))
                .map(r -> new PgbouncerRoute(text(r.get("name")), text(r.get("database")), text(r.get("host")), number(r.get("port")),
                        number(r.get("paused")) != 0))
                .toList();
    }

    private static String text(Object v) {
        return v == null ? null : v.toString();
    }

    private static int number(Object v) {
        if (v instanceof Number n) {
            return n.intValue();
        }
        return v == null || v.toString().isEmpty() ? 0 : Integer.parseInt(v.toString().strip());
    }
}
