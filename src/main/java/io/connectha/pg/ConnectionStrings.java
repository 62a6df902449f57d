package io.connectha.pg;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * Connection strings for applications, in the forms each client accepts. Through PgBouncer in
 * transaction mode, server-side prepared statements must be off: {@code pgbouncer=true} for Prisma,
 * {@code prepareThreshold=0} for JDBC.
 */
public final class ConnectionStrings {

    public enum Format { url, prisma, jdbc, libpq }

    /** Where to connect, and whether a transaction-pooling PgBouncer is in the way. */
    public record Target(String host, int port, String database, String user, boolean transactionPooled) {
    }

    private ConnectionStrings() {
    }

    /** {@code password} may be null: the client then finds it in its own passfile or environment. */
    public static String format(Format format, Target t, String password) {
        return format(format, t, password, null);
    }

    /**
     * With the cluster file's SSL settings ({@code ssl} may be null): sslmode and the CA always, the client
     * certificate for libpq's forms (pgjdbc reads its key as PKCS#8 DER, which libpq does not, so a JDBC
     * string names only what both read alike).
     */
    public static String format(Format format, Target t, String password, PgConnector.Ssl ssl) {
        return format0(format, t, password) + sslParameters(format, ssl);
    }

    private static String sslParameters(Format format, PgConnector.Ssl ssl) {
        if (ssl == null) {
            return "";
        }
        StringBuilder out = new StringBuilder();
        java.util.function.BiConsumer<String, String> add = (key, value) -> {
            if (value != null) {
                out.append(format == Format.libpq ? " " + key + "=" + libpqValue(value) : "&" + key + "=" + enc(value));
            }
        };
        add.accept("sslmode", ssl.sslmode());
        add.accept("sslrootcert", ssl.rootCert());
        if (format != Format.jdbc) {
            add.accept("sslcert", ssl.cert());
            add.accept("sslkey", ssl.key());
        }
        return out.toString();
    }

    private static String format0(Format format, Target t, String password) {
        return switch (format) {
            case url -> "postgresql://" + userInfo(t, password) + "@" + t.host() + ":" + t.port() + "/" + enc(t.database())
                    + "?connect_timeout=5";
            case prisma -> "postgresql://" + userInfo(t, password) + "@" + t.host() + ":" + t.port() + "/" + enc(t.database())
                    + "?connect_timeout=5" + (t.transactionPooled() ? "&pgbouncer=true" : "");
            case jdbc -> "jdbc:postgresql://" + t.host() + ":" + t.port() + "/" + enc(t.database())
                    + "?user=" + enc(t.user()) + (password == null ? "" : "&password=" + enc(password))
                    + "&connectTimeout=5" + (t.transactionPooled() ? "&prepareThreshold=0" : "");
            case libpq -> "host=" + t.host() + " port=" + t.port() + " dbname=" + libpqValue(t.database())
                    + " user=" + libpqValue(t.user()) + (password == null ? "" : " password=" + libpqValue(password))
                    + " connect_timeout=5";
        };
    }

    private static String userInfo(Target t, String password) {
        return enc(t.user()) + (password == null ? "" : ":" + enc(password));
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String libpqValue(String value) {
        if (value.matches("[A-Za-z0-9._-]+")) {
            return value;
        }
        return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }
}
