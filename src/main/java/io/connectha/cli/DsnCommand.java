package io.connectha.cli;

import io.connectha.cluster.LoadedCluster;
import io.connectha.cluster.SecretResolver;
import io.connectha.pg.ConnectionStrings;
import io.connectha.config.Dsn;
import io.connectha.config.DsnService;
import io.connectha.render.DsnView;
import io.connectha.render.Renderer;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "dsn",
        exitCodeList = {ExitCodes.LINE_OK, ExitCodes.LINE_FAILURE, ExitCodes.LINE_USAGE},
        mixinStandardHelpOptions = true,
        description = {"The application's connection string, for writes or reads.",
                "The application's connection string (app user, app database), for writes or reads, through PgBouncer,",
                "HAProxy, or straight to a member; in the form a client takes. Without the password unless --with-password:",
                "libpq and JDBC clients then take it from ~/.pgpass or PGPASSWORD.",
                "--via direct asks every member's PostgreSQL which is the primary (--write) or a streaming replica (--read)."})
public final class DsnCommand implements Runnable {

    static final class RoleOption {
        @Option(names = "--write", description = "For writes (the default).")
        boolean write;

        @Option(names = "--read", description = "For reads: HAProxy's read port, or a replica.")
        boolean read;
    }

    @ArgGroup(exclusive = true)
    RoleOption role;

    @Option(names = "--via", paramLabel = "PATH",
            description = "haproxy, pgbouncer or direct (default: the cluster file's app.via for writes, haproxy for reads).")
    DsnService.Via via;

    @Option(names = "--format", defaultValue = "url", paramLabel = "FORMAT",
            description = "url, prisma, jdbc or libpq (default: ${DEFAULT-VALUE}).")
    ConnectionStrings.Format format;

    @Option(names = "--member", paramLabel = "NAME",
            description = "This member, directly. With --write or --read, only if PostgreSQL there has that role.")
    String member;

    @Option(names = "--with-password", description = "Put the app user's password in the string (said on stderr).")
    boolean withPassword;

    @Mixin
    OutputOptions output;

    @Mixin
    TimeoutOptions timeouts;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        LoadedCluster cluster = CommandContext.loadCluster(spec);
        boolean read = role != null && role.read;
        DsnService.Request request = new DsnService.Request(read ? DsnService.Role.read : DsnService.Role.write, role != null,
                via, format, member, withPassword);
        Dsn dsn = new DsnService(cluster, new SecretResolver(cluster), timeouts.connect(), timeouts.read()).resolve(request);
        if (dsn.containsPassword()) {
            // said even with -q: whoever captures stdout should know it now holds a secret
            spec.commandLine().getErr().println("connect: note: the output contains the password of " + dsn.user()
                    + "; keep it out of logs, shell history and process lists");
            spec.commandLine().getErr().flush();
        }
        Renderer.print(spec.commandLine().getOut(), output.format(), dsn, out -> DsnView.print(out, dsn));
    }
}
