package io.connectha.cli.config;

import io.connectha.cli.ExitCodes;
import io.connectha.cli.CommandContext;
import io.connectha.cli.OutputOptions;
import io.connectha.cli.TimeoutOptions;
import io.connectha.cluster.LoadedCluster;
import io.connectha.config.LiveDcsConfig;
import io.connectha.render.ClusterFileView;
import io.connectha.render.OutputFormat;
import io.connectha.render.Renderer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;

@Command(name = "show",
        exitCodeList = {ExitCodes.LINE_OK, ExitCodes.LINE_FAILURE, ExitCodes.LINE_USAGE},
        mixinStandardHelpOptions = true,
        description = {"Print the effective cluster file: every default filled in, secrets shown only by where they come from.",
                "Then Patroni's dynamic settings as the cluster runs them (ttl, loop_wait, retry_timeout, ...), read from etcd "
                        + "or a member's Patroni, whichever answers first within the timeouts, each marked live or default and "
                        + "where it differs from the file. When nothing answers, stderr says so and the file's values are shown.",
                "The table format is the cluster file's own YAML, the live settings as comments after it."})
public final class ConfigShowCommand implements Runnable {

    @Mixin
    OutputOptions output;

    @Mixin
    TimeoutOptions timeouts;

    @Option(names = "--file-only", description = "Only the cluster file: ask neither etcd nor Patroni for the live settings.")
    boolean fileOnly;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        LoadedCluster cluster = CommandContext.loadCluster(spec);
        PrintWriter out = spec.commandLine().getOut();
        if (fileOnly) {
            Renderer.print(out, output.format(), cluster.spec(), w -> w.print(ClusterFileView.yaml(cluster)));
            return;
        }
        LiveDcsConfig.Shown live = LiveDcsConfig.read(cluster, timeouts.connect(), timeouts.read());
        if (!live.live() && !CommandContext.global(spec).quiet()) {
            spec.commandLine().getErr().println("connect: Patroni's live configuration could not be read (" + live.error()
                    + "); showing the cluster file's values");
            spec.commandLine().getErr().flush();
        }
        if (output.format() == OutputFormat.yaml) {
            out.print(ClusterFileView.plainYaml(cluster, live));
            out.flush();
            return;
        }
        Renderer.print(out, output.format(), new ClusterFileView.Shown(cluster.spec(), live), w -> w.print(ClusterFileView.yaml(cluster, live)));
    }
}
