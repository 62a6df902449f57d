package io.connectha.pgbouncer;

import io.connectha.cluster.PgbouncerSpec;
import io.connectha.pg.PgConnector;
import org.jdbi.v3.core.Handle;

import java.time.Duration;
import java.util.LinkedHashMap;
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

    public Handle open(PgbouncerSpec spec, String adminPassword) {
        return connector.open(new PgConnector.Endpoint("PgBouncer admin console", spec.host(), spec.port(), "pgbouncer",
                spec.adminUser()), adminPassword, PgConnector.Mode.ADMIN_CONSOLE);
    }

    public static List<PgbouncerPool> pools(Handle console) {
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
    public static List<Map<String, Object>> show(Handle console, String what) {
        return console.createQuery("SHOW " + what).mapToMap().list().stream()
                .map(m -> (Map<String, Object>) new LinkedHashMap<>(m)).toList();
    }

    /** PAUSE, RESUME or RELOAD, optionally for one database. */
    public static void command(Handle console, String command) {
        console.execute(command);
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
