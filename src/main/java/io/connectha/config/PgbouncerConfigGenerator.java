package io.connectha.config;

import io.connectha.cluster.ClusterSpec;
import io.connectha.cluster.MemberSpec;
import io.connectha.cluster.PgbouncerSpec;
import io.connectha.cluster.SecretName;
import io.connectha.config.Component;
import io.connectha.config.ConfigGenerator;
import io.connectha.config.GeneratedFile;
import io.connectha.config.GenerationContext;

import java.util.List;

/**
 * pgbouncer/: pgbouncer.ini and userlist.txt. Authentication is scram-sha-256 end to end: the
 * userlist holds the same SCRAM verifiers as pg_authid, so PgBouncer passes SCRAM through to the
 * server without ever knowing a clear-text password.
 */
public final class PgbouncerConfigGenerator implements ConfigGenerator {

    @Override
    public Component component() {
        return Component.pgbouncer;
    }

    @Override
    public List<GeneratedFile> generate(GenerationContext ctx) {
        return List.of(GeneratedFile.config("pgbouncer/pgbouncer.ini", ini(ctx)),
                GeneratedFile.secret("pgbouncer/userlist.txt", userlist(ctx)));
    }

    /** Host and port PgBouncer sends server connections to. */
    public static String[] upstream(ClusterSpec spec) {
        if (spec.pgbouncer().target() == PgbouncerSpec.Target.haproxy) {
            return new String[]{spec.haproxy().host(), Integer.toString(spec.haproxy().writePort())};
        }
        MemberSpec primary = spec.initialPrimary();
        return new String[]{primary.host(), Integer.toString(primary.port())};
    }

    private static String ini(GenerationContext ctx) {
        ClusterSpec spec = ctx.spec();
        PgbouncerSpec b = spec.pgbouncer();
        String[] upstream = upstream(spec);
        StringBuilder sb = new StringBuilder();
        sb.append(";; ").append(ctx.header("pgbouncer")).append('\n');
        sb.append(";; Server connections go to ").append(b.target() == PgbouncerSpec.Target.haproxy
                ? "HAProxy's write port, which always reaches the current leader." : "the primary, " + spec.initialPrimary().name() + ".").append('\n');
        sb.append("\n[databases]\n");
        for (io.connectha.cluster.PgbouncerDatabase db : b.databases()) {
            sb.append(db.name()).append(" = host=").append(upstream[0]).append(" port=").append(upstream[1])
                    .append(" dbname=").append(db.dbname()).append('\n');
        }
        sb.append("\n[pgbouncer]\n");
        kv(sb, "listen_addr", b.host());
        kv(sb, "listen_port", b.port());
        kv(sb, "unix_socket_dir", b.unixSocketDir());
        kv(sb, "auth_type", "scram-sha-256");
        kv(sb, "auth_file", b.configDir() + "/userlist.txt");
        kv(sb, "admin_users", b.adminUser());
        kv(sb, "stats_users", b.adminUser());
        kv(sb, "pool_mode", b.poolMode());
        kv(sb, "default_pool_size", b.defaultPoolSize());
        kv(sb, "reserve_pool_size", Math.max(1, b.defaultPoolSize() / 4));
        kv(sb, "max_client_conn", b.maxClientConn());
        sb.append(";; JDBC sends extra_float_digits at start-up; without this PgBouncer refuses the connection\n");
        kv(sb, "ignore_startup_parameters", "extra_float_digits,options");
        kv(sb, "server_reset_query", "DISCARD ALL");
        sb.append(";; after a failover, drop stale server connections and retry the new leader quickly\n");
        kv(sb, "server_check_query", "select 1");
        kv(sb, "server_check_delay", 5);
        kv(sb, "server_connect_timeout", 5);
        kv(sb, "server_login_retry", 1);
        kv(sb, "query_wait_timeout", 30);
        kv(sb, "tcp_keepalive", 1);
        kv(sb, "log_connections", 0);
        kv(sb, "log_disconnections", 0);
        return sb.toString();
    }

    private static void kv(StringBuilder sb, String key, Object value) {
        sb.append(key).append(" = ").append(value).append('\n');
    }

    private static String userlist(GenerationContext ctx) {
        ClusterSpec spec = ctx.spec();
        String app = spec.postgresql().appUser();
        String admin = spec.pgbouncer().adminUser();
        return ";; " + ctx.header("pgbouncer") + "\n"
                + line(app, ctx.scramVerifier(app, SecretName.app))
                + line(admin, ctx.scramVerifier(admin, SecretName.pgbouncer_admin));
    }

    private static String line(String user, String verifier) {
        return "\"" + user.replace("\"", "\"\"") + "\" \"" + verifier + "\"\n";
    }
}
