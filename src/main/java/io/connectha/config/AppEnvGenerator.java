package io.connectha.config;

import io.connectha.cluster.AppSpec;
import io.connectha.cluster.ClusterSpec;
import io.connectha.cluster.PgbouncerSpec;
import io.connectha.cluster.SecretName;
import io.connectha.pg.ConnectionStrings;
import io.connectha.pg.ConnectionStrings.Format;
import io.connectha.pg.ConnectionStrings.Target;

import java.util.List;

/**
 * env/app.env: the application's connection strings. DATABASE_URL writes through PgBouncer or
 * HAProxy's write port; DATABASE_READ_URL reads through HAProxy's read port. The plain forms suit
 * Prisma; the JDBC_ forms suit JDBC.
 */
public final class AppEnvGenerator implements ConfigGenerator {

    @Override
    public Component component() {
        return Component.env;
    }

    @Override
    public List<GeneratedFile> generate(GenerationContext ctx) {
        ClusterSpec spec = ctx.spec();
        String password = ctx.password(SecretName.app);
        Target write = writeTarget(spec);
        Target read = readTarget(spec);
        String text = "# " + ctx.header("env") + "\n"
                + "# Writes go " + (spec.app().via() == AppSpec.Via.pgbouncer ? "through PgBouncer (" + spec.pgbouncer().poolMode() + " pooling)"
                : "through HAProxy's write port") + "; reads through HAProxy's read port.\n"
                + EnvFiles.line("DATABASE_URL", ConnectionStrings.format(Format.prisma, write, password))
                + EnvFiles.line("DATABASE_READ_URL", ConnectionStrings.format(Format.prisma, read, password))
                + EnvFiles.line("JDBC_DATABASE_URL", ConnectionStrings.format(Format.jdbc, write, password))
                + EnvFiles.line("JDBC_DATABASE_READ_URL", ConnectionStrings.format(Format.jdbc, read, password));
        return List.of(GeneratedFile.secret("env/app.env", text));
    }

    public static Target writeTarget(ClusterSpec spec) {
        return writeTarget(spec, spec.app().via());
    }

    /** The write path through {@code via}, whatever the cluster file chose for the application. */
    public static Target writeTarget(ClusterSpec spec, AppSpec.Via via) {
        String db = spec.postgresql().database();
        String user = spec.postgresql().appUser();
        if (via == AppSpec.Via.pgbouncer) {
            PgbouncerSpec b = spec.pgbouncer();
            // clients name the pool, which an alias makes another name than the database's
            return new Target(b.host(), b.port(), b.poolFor(db).name(), user, b.poolMode() != PgbouncerSpec.PoolMode.session);
        }
        return new Target(spec.haproxy().host(), spec.haproxy().writePort(), db, user, false);
    }

    public static Target readTarget(ClusterSpec spec) {
        return new Target(spec.haproxy().host(), spec.haproxy().readPort(), spec.postgresql().database(),
                spec.postgresql().appUser(), false);
    }
}
