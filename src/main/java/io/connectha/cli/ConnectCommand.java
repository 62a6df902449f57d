package io.connectha.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code connect}: the root. Its children ({@code ha}, {@code help}) are registered by {@link CommandTree}. */
@Command(name = "connect", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        resourceBundle = "io.connectha.cli.messages",
        description = "HA control plane for PostgreSQL: Patroni, etcd, HAProxy, PgBouncer and streaming replication.")
public final class ConnectCommand extends GroupCommand {

    @Mixin
    GlobalOptions global;
}
