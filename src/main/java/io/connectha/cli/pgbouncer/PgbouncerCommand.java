package io.connectha.cli.pgbouncer;

import io.connectha.cli.CommandContext;
import io.connectha.cli.TimeoutOptions;
import io.connectha.cluster.LoadedCluster;
import io.connectha.cluster.SecretResolver;
import io.connectha.pgbouncer.PgbouncerConsole;
import io.connectha.cli.GroupCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "pgbouncer", mixinStandardHelpOptions = true,
        description = {"PgBouncer's admin console: pools, statistics, clients and server connections; pause, resume, reload.",
                "Connects as the admin user of the cluster file (secret pgbouncer_admin)."},
        subcommands = {PgbouncerPoolsCommand.class, PgbouncerStatsCommand.class, PgbouncerClientsCommand.class,
                PgbouncerServersCommand.class, PgbouncerPauseCommand.class, PgbouncerResumeCommand.class, PgbouncerReloadCommand.class})
public final class PgbouncerCommand extends GroupCommand {

    static PgbouncerConsole console(CommandSpec spec, TimeoutOptions timeouts) {
        LoadedCluster cluster = CommandContext.loadCluster(spec);
        return new PgbouncerConsole(cluster, new SecretResolver(cluster), timeouts.connect(), timeouts.read());
    }
}
