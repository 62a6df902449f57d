package io.connectha.cli.haproxy;

import io.connectha.cli.GroupCommand;
import picocli.CommandLine.Command;

@Command(name = "haproxy", mixinStandardHelpOptions = true,
        description = {"Show and change HAProxy's write and read backends.",
                "HAProxy's write and read backends: where each member stands, where the write port leads, and",
                "taking a member out of a backend and back through the admin socket."},
        subcommands = {HaproxyStatusCommand.class, HaproxyEnableCommand.class, HaproxyDisableCommand.class})
public final class HaproxyCommand extends GroupCommand {
}
