package io.connectha.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code connect ha}: its children are registered by {@link CommandTree}. */
@Command(name = "ha", mixinStandardHelpOptions = true,
        description = "Operate a highly available PostgreSQL cluster.")
public final class HaCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
