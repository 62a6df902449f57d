package io.connectha.cli.context;

import io.connectha.cli.CommandContext;
import io.connectha.cli.DryRunOption;
import io.connectha.cli.ExitCodes;
import io.connectha.cli.OutputOptions;
import io.connectha.cluster.ContextStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.nio.file.Path;

@Command(name = "add",
        exitCodeList = {ExitCodes.LINE_OK, ExitCodes.LINE_FAILURE, ExitCodes.LINE_USAGE},
        mixinStandardHelpOptions = true,
        description = {"Name a cluster file: add a context.",
                "The file must load as a cluster file (its errors are shown as 'config show' shows them); it is kept as an",
                "absolute path. Adding the same name for the same file again changes nothing; a name that already names",
                "another file is refused unless --force, which points it at the new file in its place.",
                "Exit 0 when the context names the file; 2 for a bad name, a file that does not load, a name taken without",
                "--force, or a contexts file that cannot be read; 1 when the contexts file cannot be written."})
public final class ContextAddCommand implements Runnable {

    @Parameters(index = "0", paramLabel = "NAME", description = "The context's name: letters, digits, '.', '_', '-'.")
    String name;

    @Parameters(index = "1", paramLabel = "FILE", description = "The cluster file.")
    Path file;

    @Option(names = "--use", description = "Make it the current context too.")
    boolean use;

    @Option(names = "--force", description = "Replace a context of the same name that names another file.")
    boolean force;

    @Mixin
    DryRunOption dryRun;

    @Mixin
    OutputOptions output;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        ContextStore.checkName(name);
        Path absolute = file.toAbsolutePath().normalize();
        CommandContext.clusterLoader().load(absolute);
        ContextStore store = ContextStore.openDefault(System.getenv());
        ContextChanges.print(spec, output, "add", name, store, store.add(name, absolute, use, force, dryRun.on()), dryRun.on());
    }
}
