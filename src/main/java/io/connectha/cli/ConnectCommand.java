package io.connectha.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code connect}: the root. Its only child today is {@code ha}. */
@Command(name = "connect", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        resourceBundle = "io.connectha.cli.messages",
        description = "HA control plane for PostgreSQL: Patroni, etcd, HAProxy, PgBouncer and streaming replication.",
        subcommands = {HaCommand.class, picocli.CommandLine.HelpCommand.class})
public final class ConnectCommand implements Runnable {

    @Mixin
    GlobalOptions global;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
