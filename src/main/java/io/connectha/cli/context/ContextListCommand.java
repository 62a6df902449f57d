package io.connectha.cli.context;

import io.connectha.cli.CommandContext;
import io.connectha.cli.ExitCodes;
import io.connectha.cli.OutputOptions;
import io.connectha.cluster.ContextListing;
import io.connectha.cluster.ContextStore;
import io.connectha.render.ContextView;
import io.connectha.render.Renderer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "list",
        exitCodeList = {ExitCodes.LINE_OK, ExitCodes.LINE_FAILURE, ExitCodes.LINE_USAGE},
        mixinStandardHelpOptions = true,
        description = {"List the contexts: the current one (*), each name, its cluster file, and its cluster.",
                "The cluster is the name in the cluster file when it loads; when it does not, its one-line error.",
                "Exit 0 whatever the cluster files say; 2 when the contexts file is not valid; 1 when it cannot be read",
                "(permissions)."})
public final class ContextListCommand implements Runnable {

    @Mixin
    OutputOptions output;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        ContextStore store = ContextStore.openDefault(System.getenv());
        ContextListing listing = ContextListing.of(store.file(), store.read(), CommandContext.clusterLoader()::load);
        Renderer.print(spec.commandLine().getOut(), output.format(), listing, out -> ContextView.print(out, listing));
    }
}
