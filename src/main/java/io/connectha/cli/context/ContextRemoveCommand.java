package io.connectha.cli.context;

import io.connectha.cli.Confirmation;
import io.connectha.cli.DryRunOption;
import io.connectha.cli.ExitCodes;
import io.connectha.cli.OutputOptions;
import io.connectha.cli.YesOption;
import io.connectha.cluster.ClusterContext;
import io.connectha.cluster.ContextStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.util.Optional;

@Command(name = "remove",
        exitCodeList = {ExitCodes.LINE_OK, ExitCodes.LINE_FAILURE, ExitCodes.LINE_USAGE},
        mixinStandardHelpOptions = true,
        description = {"Remove a context (its cluster file stays). Removing the current context leaves none current.",
                "Asks first unless --yes. Safe to run twice: removing a context that does not exist changes nothing.",
                "Exit 0 when the context is gone; 1 when you decline or the file cannot be written; 2 when stdin is not",
                "a terminal and --yes was not given, or the contexts file cannot be read."})
public final class ContextRemoveCommand implements Runnable {

    @Parameters(index = "0", paramLabel = "NAME", description = "The context.")
    String name;

    @Mixin
    YesOption yes;

    @Mixin
    DryRunOption dryRun;

    @Mixin
    OutputOptions output;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        ContextStore store = ContextStore.openDefault(System.getenv());
        Optional<ClusterContext> context = store.read().find(name);
        if (context.isPresent() && !dryRun.on()) {
            Confirmation.onTerminal(spec).require("Remove context '" + name + "' (" + context.get().clusterFile() + ")", yes.yes());
        }
        ContextChanges.print(spec, output, "remove", name, store, store.remove(name, dryRun.on()), dryRun.on());
    }
}
