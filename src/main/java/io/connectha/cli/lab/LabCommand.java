package io.connectha.cli.lab;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "lab", mixinStandardHelpOptions = true,
        description = {"The whole real stack on this machine, on loopback: etcd, Patroni with PostgreSQL 15, HAProxy and PgBouncer.",
                "For demos, drills and tests. Needs scripts/install-deps.sh; run as root (the programs run as postgres) or as any user."},
        subcommands = {LabUpCommand.class, LabDownCommand.class, LabStatusCommand.class, LabLogsCommand.class})
public final class LabCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
