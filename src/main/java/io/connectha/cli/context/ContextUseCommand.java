package io.connectha.cli.context;

import io.connectha.cli.ExitCodes;
import io.connectha.cli.OutputOptions;
import io.connectha.cluster.ContextStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "use",
        exitCodeList = {ExitCodes.LINE_OK, ExitCodes.LINE_FAILURE, ExitCodes.LINE_USAGE},
        mixinStandardHelpOptions = true,
        description = {"Make a context current: commands without -c or --context use its cluster file.",
                "Safe to run twice. Exit 0 when it is current; 2 for an unknown context (with what was probably meant)",
                "or a contexts file that cannot be read; 1 when the file cannot be written."})
public final class ContextUseCommand implements Runnable {

    @Parameters(index = "0", paramLabel = "NAME", description = "The context.")
    String name;

    @Mixin
    OutputOptions output;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        ContextStore store = ContextStore.openDefault(System.getenv());
        ContextChanges.print(spec, output, "use", name, store, store.use(name, false), false);
    }
}
