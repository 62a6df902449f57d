package io.connectha.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code connect}: the root. Its children ({@code ha}, {@code help}) are registered by {@link CommandTree}. */
@Command(name = "connect", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        resourceBundle = "io.connectha.cli.messages",
        description = "HA control plane for PostgreSQL: Patroni, etcd, HAProxy, PgBouncer and streaming replication.",
        subcommands = {})
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
