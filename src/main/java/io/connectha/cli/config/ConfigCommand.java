package io.connectha.cli.config;

import io.connectha.cli.GroupCommand;
import picocli.CommandLine.Command;

@Command(name = "config", mixinStandardHelpOptions = true,
        description = "Show the cluster file, and generate every component's configuration from it.",
        subcommands = {ConfigShowCommand.class, ConfigGenerateCommand.class})
public final class ConfigCommand extends GroupCommand {
}
