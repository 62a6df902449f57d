package io.connectha.cli.haproxy;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "haproxy", mixinStandardHelpOptions = true,
        description = {"HAProxy's write and read backends: where each member stands, where the write port leads, and",
                "taking a member out of a backend and back through the admin socket."},
        subcommands = {HaproxyStatusCommand.class, HaproxyEnableCommand.class, HaproxyDisableCommand.class})
public final class HaproxyCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
