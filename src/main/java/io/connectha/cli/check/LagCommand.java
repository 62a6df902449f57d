package io.connectha.cli.check;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "lag", mixinStandardHelpOptions = true, description = "Replication lag.", subcommands = {LagCheckCommand.class})
public final class LagCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
