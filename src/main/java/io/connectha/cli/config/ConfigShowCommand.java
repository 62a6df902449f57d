package io.connectha.cli.config;

import io.connectha.cli.ExitCodes;
import io.connectha.cli.CommandContext;
import io.connectha.cli.OutputOptions;
import io.connectha.cluster.LoadedCluster;
import io.connectha.render.ClusterFileView;
import io.connectha.render.Renderer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "show",
        exitCodeList = {ExitCodes.LINE_OK, ExitCodes.LINE_FAILURE, ExitCodes.LINE_USAGE},
        mixinStandardHelpOptions = true,
        description = {"Print the effective cluster file: every default filled in, secrets shown only by where they come from.",
                "The table format is the cluster file's own YAML."})
public final class ConfigShowCommand implements Runnable {

    @Mixin
    OutputOptions output;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        LoadedCluster cluster = CommandContext.loadCluster(spec);
        Renderer.print(spec.commandLine().getOut(), output.format(), cluster.spec(),
                out -> out.print(ClusterFileView.yaml(cluster)));
    }
}
