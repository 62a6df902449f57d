package io.connectha.pg;

import io.connectha.error.ConnectError;
import org.postgresql.PGProperty;

import java.io.IOException;
import java.sql.SQLException;
import java.util.Properties;
import java.time.Duration;

/**
 * Opens JDBC connections with a connect timeout and a read (socket) timeout, and turns failures
 * into one-line errors that name the member and its address, never the password.
 */
public final class PgConnector {

    /** Where to connect and as whom; {@code component} names it in messages ("PostgreSQL on pg1"). */
    public record Endpoint(String component, String host, int port, String database, String user, Ssl ssl) {
        /** Without SSL settings: pgjdbc's default (prefer). */
        public Endpoint(String component, String host, int port, String database, String user) {
            this(component, host, port, database, user, null);
        }

        public String address() {
            return host + ":" + port;
        }
    }

    /** What connect's connections call themselves ({@code application_name}) unless {@link #named} says otherwise. */
    public static final String APPLICATION_NAME = "connect";

    /**
     * libpq's SSL settings, as the cluster file's {@code postgresql} section gives them (absolute paths).
     * pgjdbc reads the client key only as PKCS#8 DER ({@code .pk8}) or PKCS#12 ({@code .p12}, {@code .pfx}).
     */
    public record Ssl(String sslmode, String rootCert, String cert, String key) {

        /** Null when the cluster file sets none of them. */
        public static Ssl of(io.connectha.cluster.PostgresSpec pg) {
            if (pg.sslmode() == null && pg.sslRootCert() == null && pg.sslCert() == null && pg.sslKey() == null) {
                return null;
            }
            return new Ssl(pg.sslmode() == null ? null : pg.sslmode().libpqName(), pg.sslRootCert(), pg.sslCert(), pg.sslKey());
        }

        /** The files must be there before pgjdbc is asked: its own words name its classes. */
        void requireFiles() {
            readable("postgresql.ssl_root_cert", rootCert);
            readable("postgresql.ssl_cert", cert);
            readable("postgresql.ssl_key", key);
            if (key != null) {
                try (java.io.InputStream in = java.nio.file.Files.newInputStream(java.nio.file.Path.of(key))) {
                    byte[] start = in.readNBytes(11);
                    if (new String(start, java.nio.charset.StandardCharsets.US_ASCII).equals("-----BEGIN ")) {
                        throw ConnectError.invalidInput("postgresql.ssl_key: " + key + " is PEM; the PostgreSQL driver needs the key "
                                + "as PKCS#8 DER: openssl pkcs8 -topk8 -outform DER -nocrypt -in " + key + " -out " + key + ".pk8");
                    }
                } catch (IOException e) {
                    throw ConnectError.invalidInput("postgresql.ssl_key: cannot read " + key + ": " + ConnectError.ioReason(e));
                }
            }
        }

        private static void readable(String field, String file) {
            if (file == null) {
                return;
            }
            java.nio.file.Path path = java.nio.file.Path.of(file);
            if (!java.nio.file.Files.isRegularFile(path)) {
                throw ConnectError.invalidInput(field + ": cannot read " + file + ": "
                        + (java.nio.file.Files.exists(path) ? "not a regular file" : "no such file or directory"));
            }
            if (!java.nio.file.Files.isReadable(path)) {
                throw ConnectError.invalidInput(field + ": cannot read " + file + ": permission denied");
            }
        }
    }

    private final Duration connectTimeout;
    private final Duration readTimeout;
    private final String applicationName;
    private final String localAddress;

    public PgConnector(Duration connectTimeout, Duration readTimeout) {
        this(connectTimeout, readTimeout, APPLICATION_NAME, null);
    }

    private PgConnector(Duration connectTimeout, Duration readTimeout, String applicationName, String localAddress) {
        this.connectTimeout = connectTimeout;
        this.readTimeout = readTimeout;
        this.applicationName = applicationName;
        this.localAddress = localAddress;
    }

    /** The same timeouts, with connections named {@code applicationName}: what lets a count leave them out. */
    public PgConnector named(String applicationName) {
        return new PgConnector(connectTimeout, readTimeout, applicationName, localAddress);
    }

    /**
     * The same, with the client side of every connection bound to {@code address}: which side of a partition the client
     * is on, when the partition lets some local addresses through.
     */
    public PgConnector boundTo(String address) {
        return new PgConnector(connectTimeout, readTimeout, applicationName, address);
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
        if (localAddress != null) {
            PGProperty.LOCAL_SOCKET_ADDRESS.set(p, localAddress);
        }
        Ssl ssl = endpoint.ssl();
        if (ssl != null) {
            ssl.requireFiles();
            if (ssl.sslmode() != null) {
                PGProperty.SSL_MODE.set(p, ssl.sslmode());
            }
            if (ssl.rootCert() != null) {
                PGProperty.SSL_ROOT_CERT.set(p, ssl.rootCert());
            }
            if (ssl.cert() != null) {
                PGProperty.SSL_CERT.set(p, ssl.cert());
            }
            if (ssl.key() != null) {
                PGProperty.SSL_KEY.set(p, ssl.key());
            }
        }
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
        String tls = sql == null ? null : tlsReason(endpoint, sql);
        if (tls != null) {
            return ConnectError.tls(endpoint.component(), endpoint.address(), tls, e);
        }
        String reason = sql == null ? e.getMessage() : rootMessage(sql);
        return ConnectError.unreachable(endpoint.component(), endpoint.address(), connectTimeout, reason, e);
    }

    /** A failed SSL negotiation in words, naming the setting to look at; null when it is not one. */
    private static String tlsReason(Endpoint endpoint, SQLException sql) {
        Ssl ssl = endpoint.ssl();
        String all = String.valueOf(sql.getMessage()).toLowerCase(java.util.Locale.ROOT);
        if (all.contains("server does not support ssl")) {
            return "it does not accept SSL, and sslmode " + (ssl == null ? "" : ssl.sslmode() + " ") + "requires it (ssl = on in postgresql.conf)";
        }
        if (all.contains("could not be verified by hostnameverifier")) {
            return "its certificate does not name " + endpoint.host() + " (sslmode verify-full checks the host name; verify-ca does not)";
        }
        String words = io.connectha.net.Tls.describe(sql, ssl == null ? null : ssl.rootCert(), ssl == null ? null : ssl.cert(),
                ssl != null && ssl.key() != null, "postgresql.ssl_root_cert");
        return words;
    }

    private static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        // a cause without words is named in words, never by its Java class
        String message = root.getMessage() != null ? root.getMessage()
                : root instanceof java.io.EOFException ? "the connection was closed before an answer came"
                : "the connection failed without a reason given";
        return message.lines().findFirst().orElse(message);
    }
}
