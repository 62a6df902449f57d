package io.connectha.cli;

import io.connectha.cli.check.CheckCommand;
import io.connectha.cli.check.LagCommand;
import io.connectha.cli.check.SlotsCommand;
import io.connectha.cli.config.ConfigCommand;
import io.connectha.cli.etcd.EtcdCommand;
import io.connectha.cli.haproxy.HaproxyCommand;
import io.connectha.cli.lab.LabCommand;
import io.connectha.cli.patroni.PatroniCommand;
import io.connectha.cli.pgbouncer.PgbouncerCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "ha", mixinStandardHelpOptions = true,
        description = "Operate a highly available PostgreSQL cluster.",
        subcommands = {StatusCommand.class, CheckCommand.class, LagCommand.class, SlotsCommand.class, PatroniCommand.class,
                EtcdCommand.class, PgbouncerCommand.class, HaproxyCommand.class, DsnCommand.class, ConfigCommand.class, LabCommand.class})
public final class HaCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
