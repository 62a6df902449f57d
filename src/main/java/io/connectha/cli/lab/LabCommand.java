package io.connectha.cli.lab;

import io.connectha.cli.GroupCommand;
import picocli.CommandLine.Command;

@Command(name = "lab", mixinStandardHelpOptions = true,
        description = {"The whole real stack on this machine, on loopback: etcd, Patroni with PostgreSQL 15, HAProxy and PgBouncer.",
                "For demos, drills and tests. Needs scripts/install-deps.sh; run as root (the programs run as postgres) or as any user."},
        subcommands = {LabUpCommand.class, LabDownCommand.class, LabStatusCommand.class, LabLogsCommand.class})
public final class LabCommand extends GroupCommand {
}
