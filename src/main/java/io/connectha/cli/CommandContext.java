package io.connectha.cli;

import io.connectha.cluster.ClusterFileLoader;
import io.connectha.cluster.LoadedCluster;
import io.connectha.process.Progress;
import io.connectha.startup.ClusterModelCache;
import picocli.CommandLine.Model.CommandSpec;

/** What a command needs from the root: the global options, the cluster file, and a progress reporter. */
public final class CommandContext {

    private CommandContext() {
    }

    public static GlobalOptions global(CommandSpec spec) {
        return ((ConnectCommand) spec.root().userObject()).global;
    }

    public static LoadedCluster loadCluster(CommandSpec spec) {
        ClusterFileLoader loader = new ClusterFileLoader();
        // the validated model kept between runs (ClusterModelCache), read back while the file is unchanged
        LoadedCluster cluster = ClusterModelCache.forThisProcess(System.getenv()).map(loader::withCache).orElse(loader)
                .load(global(spec).clusterFile());
        if (!global(spec).quiet()) {
            for (var w : cluster.warnings()) {
                spec.commandLine().getErr().println(cluster.file() + ":" + w.line() + ":" + w.column() + ": warning: " + w.message());
            }
        }
        return cluster;
    }

    /** Progress lines on stderr, silenced by -q. */
    public static Progress progress(CommandSpec spec) {
        return new Progress(spec.commandLine().getErr(), global(spec).quiet());
    }
}
