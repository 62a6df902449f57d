package io.connectha.cli.check;

import io.connectha.cli.GroupCommand;
import picocli.CommandLine.Command;

@Command(name = "slots", mixinStandardHelpOptions = true, description = "Replication slots.", subcommands = {SlotsCheckCommand.class})
public final class SlotsCommand extends GroupCommand {
}
