package io.connectha.config;

import io.connectha.pg.RoleSql;

import io.connectha.pg.PostgresSettings;

import io.connectha.pg.PgConf;

import io.connectha.pg.MemorySizing;

import io.connectha.pg.HbaRules;

import io.connectha.cluster.ClusterSpec;
import io.connectha.cluster.MemberSpec;
import io.connectha.cluster.PgpassFile;
import io.connectha.cluster.SecretName;
import io.connectha.config.Component;
import io.connectha.config.ConfigGenerator;
import io.connectha.config.GeneratedFile;
import io.connectha.config.GenerationContext;

import java.util.ArrayList;
import java.util.List;

/**
 * postgresql/: pg_hba.conf, a primary and a standby postgresql.conf per member, the replication
 * passfile standbys use, and roles.sql for the application role.
 */
public final class PostgresConfigGenerator implements ConfigGenerator {

    @Override
    public Component component() {
        return Component.postgresql;
    }

    @Override
    public List<GeneratedFile> generate(GenerationContext ctx) {
        ClusterSpec spec = ctx.spec();
        MemorySizing memory = MemorySizing.forMachine(ctx.memoryBytes(), spec.postgresql().maxConnections());
        List<GeneratedFile> files = new ArrayList<>();
        files.add(GeneratedFile.config("postgresql/pg_hba.conf",
                HbaRules.render(List.of(ctx.header("postgresql"), "Install as pg_hba.conf in each member's data directory."),
                        HbaRules.forCluster(spec))));
        for (MemberSpec member : spec.members()) {
            String dir = "postgresql/" + member.name() + "/";
            files.add(GeneratedFile.config(dir + "postgresql.conf", PgConf.render(
                    List.of(ctx.header("postgresql"), "Member " + member.name() + " as primary. Data directory: " + member.dataDir()),
                    PostgresSettings.primary(spec, member, memory))));
            MemberSpec upstream = upstreamOf(spec, member);
            files.add(GeneratedFile.config(dir + "postgresql.standby.conf", PgConf.render(
                    List.of(ctx.header("postgresql"),
                            "Member " + member.name() + " as a standby of " + upstream.name()
                                    + ": install as postgresql.conf and create an empty standby.signal",
                            "in " + member.dataDir() + " (PostgreSQL " + spec.postgresql().version()
                                    + " has no recovery.conf). The password comes from " + spec.postgresql().replicationPassfile() + "."),
                    PostgresSettings.standby(spec, member, upstream, memory))));
        }
        files.add(GeneratedFile.secret("postgresql/replication.pgpass", replicationPassfile(ctx)));
        files.add(GeneratedFile.secret("postgresql/roles.sql", RoleSql.render(ctx.header("postgresql"), spec,
                ctx.scramVerifier(spec.postgresql().appUser(), SecretName.app))));
        return files;
    }

    /** A standby follows the initial primary; the initial primary, once demoted, follows the next member. */
    static MemberSpec upstreamOf(ClusterSpec spec, MemberSpec member) {
        MemberSpec primary = spec.initialPrimary();
        if (!member.name().equals(primary.name()) || spec.members().size() == 1) {
            return primary;
        }
        return spec.members().get(1);
    }

    private static String replicationPassfile(GenerationContext ctx) {
        ClusterSpec spec = ctx.spec();
        String password = PgpassFile.escape(ctx.password(SecretName.replication));
        String user = PgpassFile.escape(spec.postgresql().replicationUser());
        StringBuilder sb = new StringBuilder("# " + ctx.header("postgresql") + "\n# Install at "
                + spec.postgresql().replicationPassfile() + ", owned by postgres, mode 0600.\n");
        for (MemberSpec m : spec.members()) {
            sb.append(m.host()).append(':').append(m.port()).append(":replication:").append(user).append(':').append(password).append('\n');
        }
        return sb.toString();
    }
}
