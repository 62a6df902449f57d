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
        LoadedCluster cluster = loadClusterQuietly(spec);
        warn(spec, cluster, w -> true);
        return cluster;
    }

    /** The cluster file's warnings that {@code which} accepts, one line each on stderr, unless -q. */
    public static void warn(CommandSpec spec, LoadedCluster cluster, java.util.function.Predicate<io.connectha.cluster.ClusterFileProblem> which) {
        if (global(spec).quiet()) {
            return;
        }
        for (var w : cluster.warnings()) {
            if (which.test(w)) {
                spec.commandLine().getErr().println(cluster.file() + ":" + w.line() + ":" + w.column() + ": warning: " + w.message());
            }
        }
    }

    /** The cluster file without its warnings on stderr, for a command that refuses what they warn of. */
    public static LoadedCluster loadClusterQuietly(CommandSpec spec) {
        ClusterFileLoader loader = new ClusterFileLoader();
        // the validated model kept between runs (ClusterModelCache), read back while the file is unchanged
        return ClusterModelCache.forThisProcess(System.getenv()).map(loader::withCache).orElse(loader)
                .load(global(spec).clusterFile());
    }

    /** Progress lines on stderr, silenced by -q. */
    public static Progress progress(CommandSpec spec) {
        return new Progress(spec.commandLine().getErr(), global(spec).quiet());
    }
}
