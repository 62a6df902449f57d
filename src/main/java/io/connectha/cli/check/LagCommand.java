package io.connectha.cli.check;

import io.connectha.cli.GroupCommand;
import picocli.CommandLine.Command;

@Command(name = "lag", mixinStandardHelpOptions = true, description = "Replication lag.", subcommands = {LagCheckCommand.class})
public final class LagCommand extends GroupCommand {
}
