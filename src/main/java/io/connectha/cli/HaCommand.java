package io.connectha.cli;

import picocli.CommandLine.Command;

/** {@code connect ha}: its children are registered by {@link CommandTree}. */
@Command(name = "ha", mixinStandardHelpOptions = true,
        description = "Operate a highly available PostgreSQL cluster.")
public final class HaCommand extends GroupCommand {
}
