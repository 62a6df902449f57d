package io.connectha.pgbouncer;

import io.connectha.pg.Endpoints;

import io.connectha.cluster.PgbouncerSpec;
import io.connectha.pg.PgConnector;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * PgBouncer's admin console ({@code pgbouncer} database) over JDBC. The console speaks only the
 * simple query protocol and has its own commands: SHOW, PAUSE, RESUME, RELOAD. Plain JDBC
 * statements rather than jdbi queries, so that a column list survives an empty answer and the
 * console's own error replies can be told apart from a lost connection.
 */
public final class PgbouncerAdmin {

    /** The console's name for itself: a pseudo-database in SHOW output, never a pool of ours. */
    public static final String CONSOLE_DATABASE = "pgbouncer";

    private final PgConnector connector;

    public PgbouncerAdmin(PgConnector connector) {
        this.connector = connector;
    }

    /** A plain JDBC connection: status opens one on every run, and Jdbi's set-up would cost start-up time. */
    public Connection open(PgbouncerSpec spec, String adminPassword) {
        return connector.connect(Endpoints.pgbouncerConsole(spec, CONSOLE_DATABASE), adminPassword, PgConnector.Mode.ADMIN_CONSOLE);
    }

    /** The console failed to answer at all (lost connection, timeout), as opposed to answering with an error. */
    public static final class ConsoleException extends RuntimeException {
        ConsoleException(SQLException cause) {
            super(firstLine(cause.getMessage()), cause);
        }

        public boolean timedOut() {
            for (Throwable t = getCause(); t != null; t = t.getCause()) {
                if (t instanceof java.net.SocketTimeoutException) {
                    return true;
                }
            }
            return false;
        }
    }

    /** SHOW POOLS, each pool with the database it reaches (SHOW DATABASES). */
    public static List<PgbouncerPool> pools(Connection console) {
        return withDatabases(pools(show(console, PgbouncerShow.POOLS).rows()), show(console, PgbouncerShow.DATABASES).rows());
    }

    /**
     * As {@link #pools(Connection)}, with each pool's clients counted without the connections whose
     * {@code application_name} is {@code own} (connect's own probe through the pool): SHOW POOLS would count
     * the probe when it happens to be connected. The active and waiting figures then come from one SHOW
     * CLIENTS, counted as SHOW POOLS counts them (its active and waiting lists), so they stay one moment's.
     * A PgBouncer whose SHOW CLIENTS has no application_name keeps SHOW POOLS' figures.
     */
    public static List<PgbouncerPool> pools(Connection console, String own) {
        List<PgbouncerPool> pools = pools(console);
        Answer clients = show(console, PgbouncerShow.CLIENTS);
        if (!clients.columns().contains("application_name")) {
            return pools;
        }
        return withoutOwnClients(pools, clients.rows(), own);
    }

    /** The pools' client figures counted from SHOW CLIENTS rows, leaving out those named {@code own}. */
    static List<PgbouncerPool> withoutOwnClients(List<PgbouncerPool> pools, List<Map<String, Object>> clients, String own) {
        Map<String, int[]> counts = new LinkedHashMap<>();
        for (Map<String, Object> c : clients) {
            if (own.equals(str(c, "application_name"))) {
                continue;
            }
            int[] n = counts.computeIfAbsent(str(c, "database") + "\0" + str(c, "user"), k -> new int[2]);
            String state = str(c, "state");
            if (state.startsWith("active")) {
                n[0]++;
            } else if (state.startsWith("waiting")) {
                n[1]++;
            }
        }
        return pools.stream().map(p -> {
            int[] n = counts.getOrDefault(p.database() + "\0" + p.user(), new int[2]);
            return new PgbouncerPool(p.database(), p.user(), n[0], n[1], p.svActive(), p.svIdle(), p.svUsed(), p.maxWait(),
                    p.poolMode(), p.dbname());
        }).toList();
    }

    /** Each pool with its database from SHOW DATABASES ({@code name}: the pool, {@code database}: what it reaches). */
    static List<PgbouncerPool> withDatabases(List<PgbouncerPool> pools, List<Map<String, Object>> databases) {
        Map<String, String> reaches = new LinkedHashMap<>();
        for (Map<String, Object> d : databases) {
            reaches.putIfAbsent(str(d, "name"), str(d, "database"));
        }
        return pools.stream().map(p -> new PgbouncerPool(p.database(), p.user(), p.clActive(), p.clWaiting(), p.svActive(),
                p.svIdle(), p.svUsed(), p.maxWait(), p.poolMode(), reaches.get(p.database()))).toList();
    }

    /** SHOW POOLS rows as typed pools; columns a version lacks read as 0. */
    public static List<PgbouncerPool> pools(List<Map<String, Object>> rows) {
        return rows.stream()
                .filter(r -> !CONSOLE_DATABASE.equals(r.get("database")))
                .map(r -> new PgbouncerPool(str(r, "database"), str(r, "user"), num(r, "cl_active"), num(r, "cl_waiting"),
                        num(r, "sv_active"), num(r, "sv_idle"), num(r, "sv_used"),
                        Duration.ofSeconds(num(r, "maxwait")).plusNanos(num(r, "maxwait_us") * 1000L), str(r, "pool_mode")))
                .toList();
    }

    /** A SHOW command's columns (in PgBouncer's order, even when no row comes back) and rows. */
    public record Answer(List<String> columns, List<Map<String, Object>> rows) {
    }

    public static Answer show(Connection console, PgbouncerShow what) {
        try (Statement st = console.createStatement(); ResultSet rs = st.executeQuery(what.sql())) {
            ResultSetMetaData md = rs.getMetaData();
            List<String> columns = new ArrayList<>();
            for (int i = 1; i <= md.getColumnCount(); i++) {
                columns.add(md.getColumnLabel(i));
            }
            List<Map<String, Object>> rows = new ArrayList<>();
            while (rs.next()) {
                Map<String, Object> row = new LinkedHashMap<>();
                for (int i = 1; i <= columns.size(); i++) {
                    Object v = rs.getObject(i);
                    row.put(columns.get(i - 1), v == null || v instanceof Number ? v : v.toString());
                }
                rows.add(row);
            }
            return new Answer(List.copyOf(columns), List.copyOf(rows));
        } catch (SQLException e) {
            throw new ConsoleException(e);
        }
    }

    /**
     * Sends PAUSE, RESUME or RELOAD. Returns PgBouncer's error message when it refused the command
     * (such as "pooler is not paused/suspended"); empty when it did it.
     *
     * @param wait how long to wait for the answer; PAUSE answers only once running transactions have finished
     */
    public static Optional<String> command(Connection console, ConsoleCommand command, Duration wait) {
        try {
            console.setNetworkTimeout(Runnable::run, (int) Math.min(Integer.MAX_VALUE, wait.toMillis()));
            try (Statement st = console.createStatement()) {
                st.execute(command.sql());
                return Optional.empty();
            }
        } catch (PSQLException e) {
            ServerErrorMessage refusal = e.getServerErrorMessage();
            if (refusal != null && refusal.getMessage() != null) {
                return Optional.of(refusal.getMessage());
            }
            throw new ConsoleException(e);
        } catch (SQLException e) {
            throw new ConsoleException(e);
        }
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

    private static String firstLine(String message) {
        return message == null ? "no answer" : message.lines().findFirst().orElse(message);
    }
}
