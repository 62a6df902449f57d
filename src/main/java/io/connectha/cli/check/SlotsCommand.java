package io.connectha.cli.check;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "slots", mixinStandardHelpOptions = true, description = "Replication slots.", subcommands = {SlotsCheckCommand.class})
public final class SlotsCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
