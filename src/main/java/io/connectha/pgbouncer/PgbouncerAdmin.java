package io.connectha.pgbouncer;

import io.connectha.cluster.PgbouncerSpec;
import io.connectha.pg.PgConnector;
import io.connectha.pg.Sql;

import java.sql.Connection;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * PgBouncer's admin console ({@code pgbouncer} database) over JDBC. The console speaks only the
 * simple query protocol and has its own commands: SHOW, PAUSE, RESUME, RELOAD.
 */
public final class PgbouncerAdmin {

    private final PgConnector connector;

    public PgbouncerAdmin(PgConnector connector) {
        this.connector = connector;
    }

    public Connection open(PgbouncerSpec spec, String adminPassword) {
        return connector.connect(new PgConnector.Endpoint("PgBouncer admin console", spec.host(), spec.port(), "pgbouncer",
                spec.adminUser()), adminPassword, PgConnector.Mode.ADMIN_CONSOLE);
    }

    public static List<PgbouncerPool> pools(Connection console) {
        return show(console, "POOLS").stream()
                .filter(r -> !"pgbouncer".equals(r.get("database")))
                .map(r -> new PgbouncerPool(str(r, "database"), str(r, "user"), num(r, "cl_active"), num(r, "cl_waiting"),
                        num(r, "sv_active"), num(r, "sv_idle"), num(r, "sv_used"),
                        Duration.ofSeconds(num(r, "maxwait")).plusNanos(num(r, "maxwait_us") * 1000L), str(r, "pool_mode")))
                .toList();
    }

    /**
     * Any SHOW command (POOLS, STATS, CLIENTS, SERVERS, DATABASES, ...), rows as column to value.
     * Only the console's own words may reach here: it is a fixed set, checked by the caller.
     */
    public static List<Map<String, Object>> show(Connection console, String what) {
        return Sql.maps(console, "SHOW " + what);
    }

    /** PAUSE, RESUME or RELOAD, optionally for one database. */
    public static void command(Connection console, String command) {
        Sql.execute(console, command);
    }

    private static String str(Map<String, Object> row, String column) {
        Object v = row.get(column);
        return v == null ? "" : v.toString();
    }

    private static int num(Map<String, Object> row, String column) {
        Object v = row.get(column);
        if (v instanceof Number n) {
            return n.intValue();
        }
        return v == null || v.toString().isEmpty() ? 0 : Integer.parseInt(v.toString());
    }
}
