package io.connectha.cluster;

import java.util.List;

/**
 * PgBouncer in front of the write path.
 *
 * @param target        {@code haproxy}: pool connections to HAProxy's write port (with Patroni);
 *                      {@code primary}: straight to the initial primary (plain streaming replication)
 * @param unixSocketDir empty to listen on TCP only
 * @param databases     the databases clients reach through PgBouncer, each a pool name and the database it reaches
 */
public record PgbouncerSpec(
        String host,
        Integer port,
        PoolMode poolMode,
        Integer defaultPoolSize,
        Integer maxClientConn,
        List<PgbouncerDatabase> databases,
        String adminUser,
        Target target,
        String configDir,
        String unixSocketDir) {

    public enum PoolMode { session, transaction, statement }

    public enum Target { haproxy, primary }

    static final PgbouncerSpec EMPTY = new PgbouncerSpec(null, null, null, null, null, null, null, null, null, null);

    PgbouncerSpec withDefaults(PostgresSpec pg, HaproxySpec haproxy) {
        return new PgbouncerSpec(host == null ? haproxy.host() : host,
                port == null ? 6432 : port,
                poolMode == null ? PoolMode.transaction : poolMode,
                defaultPoolSize == null ? 20 : defaultPoolSize,
                maxClientConn == null ? 1000 : maxClientConn,
                databases == null || databases.isEmpty() ? List.of(PgbouncerDatabase.of(pg.database())) : List.copyOf(databases),
                adminUser == null ? "pgbouncer_admin" : adminUser,
                target == null ? Target.haproxy : target,
                configDir == null ? "/etc/pgbouncer" : configDir,
                unixSocketDir == null ? "/var/run/postgresql" : unixSocketDir);
    }

    /**
     * The pool clients name to reach PostgreSQL database {@code dbname}: the first entry whose database it
     * is (an alias such as {@code orders_rw} for {@code orders}), else a pool of that very name.
     */
    public PgbouncerDatabase poolFor(String dbname) {
        return databases.stream().filter(d -> d.dbname().equals(dbname)).findFirst()
                .orElse(new PgbouncerDatabase(dbname, dbname));
    }

    public String address() {
        return host + ":" + port;
    }
}
