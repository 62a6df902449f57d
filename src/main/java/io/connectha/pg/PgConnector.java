package io.connectha.pg;

import io.connectha.error.ConnectError;
import org.postgresql.PGProperty;

import java.sql.SQLException;
import java.util.Properties;
import java.time.Duration;

/**
 * Opens JDBC connections with a connect timeout and a read (socket) timeout, and turns failures
 * into one-line errors that name the member and its address, never the password.
 */
public final class PgConnector {

    /** Where to connect and as whom; {@code component} names it in messages ("PostgreSQL on pg1"). */
    public record Endpoint(String component, String host, int port, String database, String user) {
        public String address() {
            return host + ":" + port;
        }
    }

    /** What connect's connections call themselves ({@code application_name}) unless {@link #named} says otherwise. */
    public static final String APPLICATION_NAME = "connect";

    private final Duration connectTimeout;
    private final Duration readTimeout;
    private final String applicationName;

    public PgConnector(Duration connectTimeout, Duration readTimeout) {
        this(connectTimeout, readTimeout, APPLICATION_NAME);
    }

    private PgConnector(Duration connectTimeout, Duration readTimeout, String applicationName) {
        this.connectTimeout = connectTimeout;
        this.readTimeout = readTimeout;
        this.applicationName = applicationName;
    }

    /** The same timeouts, with connections named {@code applicationName}: what lets a count leave them out. */
    public PgConnector named(String applicationName) {
        return new PgConnector(connectTimeout, readTimeout, applicationName);
    }

    public Duration connectTimeout() {
        return connectTimeout;
    }

    public Duration readTimeout() {
        return readTimeout;
    }

    /** How the far end speaks. */
    public enum Mode {
        /** PostgreSQL itself. */
        DIRECT,
        /** Through PgBouncer in transaction mode: no server-side prepared statements. */
        TRANSACTION_POOLED,
        /**
         * PgBouncer's admin console: simple query protocol only, and no SET. With 9.0 assumed, pgjdbc
         * sends its settings as start-up parameters, which PgBouncer's ignore_startup_parameters drops.
         */
        ADMIN_CONSOLE
    }

    public java.sql.Connection connect(Endpoint endpoint, String password) {
        return connect(endpoint, password, Mode.DIRECT);
    }

    /**
     * A plain JDBC connection. connect's own code reads through this (and pg.Sql) rather than Jdbi: Jdbi's
     * first query costs about 200 ms of class loading and set-up in a fresh JVM (measured), which is
     * most of what a cron check may spend.
     */
    public java.sql.Connection connect(Endpoint endpoint, String password, Mode mode) {
        Properties p = new Properties();
        if (mode != Mode.DIRECT) {
            PGProperty.PREPARE_THRESHOLD.set(p, 0);
        }
        if (mode == Mode.ADMIN_CONSOLE) {
            PGProperty.PREFER_QUERY_MODE.set(p, "simple");
        }
        if (mode != Mode.TRANSACTION_POOLED) {
            // extra_float_digits and application_name go in the start-up packet, not as two SETs after the
            // login (two more round trips for every connection). PostgreSQL has taken them there since 9.0; a
            // pooler in front of it may refuse start-up parameters it does not know, so pooled logins keep the SETs.
            PGProperty.ASSUME_MIN_SERVER_VERSION.set(p, "9.0");
        }
        PGProperty.USER.set(p, endpoint.user());
        PGProperty.PASSWORD.set(p, password);
        PGProperty.APPLICATION_NAME.set(p, applicationName);
        PGProperty.CONNECT_TIMEOUT.set(p, seconds(connectTimeout));
        PGProperty.LOGIN_TIMEOUT.set(p, seconds(connectTimeout));
        PGProperty.SOCKET_TIMEOUT.set(p, seconds(readTimeout));
        PGProperty.TCP_KEEP_ALIVE.set(p, true);
        try {
            // the driver itself rather than java.sql.DriverManager, whose first use looks for drivers
            // in every jar of the class path (ServiceLoader): a fresh JVM's time, and no other driver is wanted
            java.sql.Connection c = DRIVER.connect(url(endpoint), p);
            if (c == null) {
                throw new SQLException("the PostgreSQL driver did not accept " + url(endpoint), "08001");
            }
            return c;
        } catch (SQLException e) {
            throw translate(endpoint, e, e);
        }
    }

    private static final org.postgresql.Driver DRIVER;

    static {
        PgjdbcLogging.install();
        DRIVER = new org.postgresql.Driver();
    }

    /** The JDBC URL, without credentials: an IPv6 address in brackets, the database name encoded. */
    static String url(Endpoint endpoint) {
        String host = endpoint.host().contains(":") && !endpoint.host().startsWith("[") ? "[" + endpoint.host() + "]" : endpoint.host();
        return "jdbc:postgresql://" + host + ":" + endpoint.port() + "/"
                + java.net.URLEncoder.encode(endpoint.database(), java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static int seconds(Duration d) {
        return (int) Math.max(1, (d.toMillis() + 999) / 1000);
    }

    private ConnectError translate(Endpoint endpoint, SQLException sql, Exception e) {
        String state = sql == null ? "" : String.valueOf(sql.getSQLState());
        if (state.startsWith("28")) {
            return ConnectError.authenticationFailed(endpoint.component(), endpoint.address(), e);
        }
        if (state.equals("3D000")) {
            return new ConnectError(ConnectError.Kind.INVALID_INPUT, "database " + endpoint.database()
                    + " does not exist on " + endpoint.component() + " at " + endpoint.address(), e);
        }
        String reason = sql == null ? e.getMessage() : rootMessage(sql);
        return ConnectError.unreachable(endpoint.component(), endpoint.address(), connectTimeout, reason, e);
    }

    private static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return message.lines().findFirst().orElse(message);
    }
}
