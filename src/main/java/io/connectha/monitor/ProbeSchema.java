package io.connectha.monitor;

import io.connectha.cluster.ClusterSpec;
import io.connectha.error.ConnectError;
import io.connectha.pg.PgConnector;
import io.connectha.pg.RoleSql;
import io.connectha.pg.Sql;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;

/**
 * The probe's table, in a schema of its own, set up and removed as the superuser so that the application user needs no
 * more than to move its heartbeat: USAGE on the schema, SELECT and UPDATE on the table; no INSERT, no DELETE, no DDL.
 * <p>
 * Every change runs in one transaction under an advisory lock, so that two monitors (each with its own probe id) can set
 * up and clean up at the same time: the last one out drops the schema, and never under another one's feet.
 */
final class ProbeSchema {

    static final String SCHEMA = "connect_probe";
    static final String TABLE = SCHEMA + ".heartbeat";
    /** When a row no monitor moves any more is another's leftover, removed by whoever cleans up next. */
    static final String STALE_AFTER = "1 day";
    /** Serialises set-up and clean-up across monitors on the same leader. */
    private static final String LOCK = "SELECT pg_advisory_xact_lock(hashtext('" + SCHEMA + "'))";

    private final PgConnector pg;
    private final PgConnector.Endpoint superuser;
    private final String superuserPassword;
    private final String appUser;
    private final String probeId;
    private final Duration timeout;

    /**
     * @param superuser the superuser through HAProxy's write port, in the application's database
     * @param timeout   the bound on each statement (the socket's read timeout, to the millisecond)
     */
    ProbeSchema(PgConnector pg, PgConnector.Endpoint superuser, String superuserPassword, ClusterSpec spec, String probeId,
                Duration timeout) {
        this.pg = pg;
        this.superuser = superuser;
        this.superuserPassword = superuserPassword;
        this.appUser = spec.postgresql().appUser();
        this.probeId = probeId;
        this.timeout = timeout;
    }

    /** The statements that create the schema and grant the application user exactly what the probe needs; safe to run again. */
    static List<String> setupStatements(String appUser) {
        String app = RoleSql.ident(appUser);
        return List.of(
                "CREATE SCHEMA IF NOT EXISTS " + SCHEMA,
                "REVOKE ALL ON SCHEMA " + SCHEMA + " FROM PUBLIC",
                "CREATE TABLE IF NOT EXISTS " + TABLE + " (probe_id text PRIMARY KEY, seq bigint NOT NULL, at timestamptz NOT NULL)",
                // whatever an older set-up or default privileges granted, the application is left with these two
                "REVOKE ALL ON " + TABLE + " FROM PUBLIC, " + app,
                "GRANT USAGE ON SCHEMA " + SCHEMA + " TO " + app,
                "GRANT SELECT, UPDATE ON " + TABLE + " TO " + app);
    }

    /** Creates what is missing and (re)sets this probe's row. Throws a one-line {@link ConnectError}. */
    void setup() {
        inTransaction(c -> {
            for (String statement : setupStatements(appUser)) {
                Sql.execute(c, statement);
            }
            Sql.list(c, "INSERT INTO " + TABLE + " (probe_id, seq, at) VALUES (?, 0, now()) "
                    + "ON CONFLICT (probe_id) DO UPDATE SET seq = 0, at = now() RETURNING probe_id", rs -> rs.getString(1), probeId);
        });
    }

    /**
     * Deletes this probe's row (and any no monitor has moved for {@link #STALE_AFTER}) and, when no row is left, the schema.
     * Throws a one-line {@link ConnectError}.
     */
    void cleanup() {
        inTransaction(c -> {
            boolean exists = Sql.one(c, "SELECT to_regclass('" + TABLE + "') IS NOT NULL", rs -> rs.getBoolean(1));
            if (!exists) {
                return;
            }
            // a monitor that died without cleaning up would keep the schema for ever: its row stops moving, and a day later
            // it goes too (a live monitor whose row went puts it back on its next write)
            Sql.list(c, "DELETE FROM " + TABLE + " WHERE probe_id = ? OR at < now() - interval '" + STALE_AFTER + "' RETURNING probe_id",
                    rs -> rs.getString(1), probeId);
            long left = Sql.one(c, "SELECT count(*) FROM " + TABLE, rs -> rs.getLong(1));
            if (left == 0) {
                Sql.execute(c, "DROP SCHEMA " + SCHEMA + " CASCADE");
            }
        });
    }

    private interface Work {
        void run(Connection c);
    }

    /** Connection failures keep PgConnector's words (they name the port); what fails after the login names it here. */
    private void inTransaction(Work work) {
        Connection c = pg.connect(superuser, superuserPassword);
        try {
            c.setNetworkTimeout(Runnable::run, (int) Math.max(1, timeout.toMillis()));
            c.setAutoCommit(false);
            Sql.list(c, LOCK, rs -> 1);
            work.run(c);
            c.commit();
        } catch (SQLException e) {
            throw new ConnectError(ConnectError.Kind.FAILURE, where() + firstLine(e.getMessage()), e);
        } catch (ConnectError e) {
            throw new ConnectError(e.kind(), where() + e.getMessage(), e.getCause() == null ? e : e.getCause());
        } finally {
            Sql.close(c);
        }
    }

    private String where() {
        return "schema " + SCHEMA + " on " + superuser.component() + " at " + superuser.address() + ": ";
    }

    private static String firstLine(String s) {
        return s == null ? "no reason given" : s.lines().findFirst().orElse(s);
    }
}
