package io.connectha.cli.context;

import io.connectha.cli.GroupCommand;
import picocli.CommandLine.Command;

@Command(name = "context", mixinStandardHelpOptions = true,
        description = {"Name cluster files, as kubectl names clusters, and choose the current one.",
                "Contexts live in $XDG_CONFIG_HOME/connect/contexts.yaml,",
                "by default ~/.config/connect/contexts.yaml (docs/contexts.md).",
                "A command's cluster file is the first of: -c FILE, --context NAME,",
                "$CONNECT_CONTEXT, $CONNECT_CLUSTER, the current context, ./cluster.yaml.",
                "'connect ha status --all' asks every context's cluster at once."},
        subcommands = {ContextListCommand.class, ContextUseCommand.class, ContextAddCommand.class, ContextRemoveCommand.class})
public final class ContextCommand extends GroupCommand {
}
