package io.connectha.cli;

import io.connectha.cluster.ClusterFileLoader;
import io.connectha.cluster.ClusterModelCache;
import io.connectha.cluster.LoadedCluster;
import io.connectha.process.Progress;
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
        LoadedCluster cluster = (StartupSwitches.on("cluster-cache") ? ClusterModelCache.forThisProcess(System.getenv()) : java.util.Optional.<ClusterModelCache>empty()).map(loader::withCache).orElse(loader)
                .load(global(spec).clusterFile());
        Timing.mark("cluster file loaded");
        return cluster;
    }

    /** Progress lines on stderr, silenced by -q. */
    public static Progress progress(CommandSpec spec) {
        return new Progress(spec.commandLine().getErr(), global(spec).quiet());
    }
}
