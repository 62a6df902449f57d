package io.connectha.pg;

import io.connectha.cluster.ClusterSpec;
import io.connectha.cluster.MemberSpec;
import io.connectha.cluster.PgbouncerDatabase;
import io.connectha.cluster.PgbouncerSpec;
import io.connectha.pg.PgConnector.Endpoint;

/**
 * The one place that turns the cluster file into the addresses connect logs in to, and names each
 * one the same way in every message ("PostgreSQL on pg1", "HAProxy write port").
 */
public final class Endpoints {

    private Endpoints() {
    }

    /** A member's PostgreSQL itself, without the cluster file's SSL settings (a lab's member, before there is a cluster file). */
    public static Endpoint member(MemberSpec m, String database, String user) {
        return new Endpoint("PostgreSQL on " + m.name(), m.host(), m.port(), database, user);
    }

    /** A member's PostgreSQL itself, with the cluster file's SSL settings ({@code postgresql.sslmode} and its files). */
    public static Endpoint member(ClusterSpec spec, MemberSpec m, String database, String user) {
        return new Endpoint("PostgreSQL on " + m.name(), m.host(), m.port(), database, user, PgConnector.Ssl.of(spec.postgresql()));
    }

    /** A member's PostgreSQL as the superuser, in the maintenance database: what status, checks and repairs use. */
    public static Endpoint memberAsSuperuser(ClusterSpec spec, MemberSpec m) {
        return member(spec, m, "postgres", spec.postgresql().superuser());
    }

    /** HAProxy's write port: where the application's writes go. HAProxy passes TCP through, so PostgreSQL's SSL applies. */
    public static Endpoint haproxyWrite(ClusterSpec spec, String database, String user) {
        return new Endpoint("HAProxy write port", spec.haproxy().host(), spec.haproxy().writePort(), database, user,
                PgConnector.Ssl.of(spec.postgresql()));
    }

    /** HAProxy's read port: where the application's reads go. */
    public static Endpoint haproxyRead(ClusterSpec spec, String database, String user) {
        return new Endpoint("HAProxy read port", spec.haproxy().host(), spec.haproxy().readPort(), database, user,
                PgConnector.Ssl.of(spec.postgresql()));
    }

    /**
     * PgBouncer's listener, for PostgreSQL database {@code database}: the login names the pool that reaches
     * it, which is another name when the cluster file gives it an alias ({@code {name: orders_rw, dbname: orders}}).
     * PgBouncer's client TLS is its own: the PostgreSQL SSL settings do not apply.
     */
    public static Endpoint pgbouncer(ClusterSpec spec, String database, String user) {
        PgbouncerDatabase pool = spec.pgbouncer().poolFor(database);
        String component = pool.isAlias() ? "PgBouncer pool " + pool.name() + " (database " + pool.dbname() + ")" : "PgBouncer";
        return new Endpoint(component, spec.pgbouncer().host(), spec.pgbouncer().port(), pool.name(), user);
    }

    /** PgBouncer's admin console (the virtual database {@code pgbouncer}). */
    public static Endpoint pgbouncerConsole(PgbouncerSpec spec, String consoleDatabase) {
        return new Endpoint("PgBouncer admin console", spec.host(), spec.port(), consoleDatabase, spec.adminUser());
    }
}
