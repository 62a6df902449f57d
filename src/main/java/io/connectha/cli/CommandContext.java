package io.connectha.cli;

import io.connectha.cluster.ClusterContexts;
import io.connectha.cluster.ClusterFileLoader;
import io.connectha.cluster.ContextStore;
import io.connectha.cluster.LoadedCluster;
import io.connectha.cluster.UnknownContextException;
import io.connectha.error.ConnectError;
import io.connectha.process.Progress;
import io.connectha.startup.ClusterModelCache;
import picocli.CommandLine.Model.CommandSpec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** What a command needs from the root: the global options, the cluster file, and a progress reporter. */
public final class CommandContext {

    /** The one line for -c and --context given together. */
    static final String BOTH_CLUSTER_AND_CONTEXT = "-c/--cluster and --context both choose the cluster file; give one of them";

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
        GlobalOptions global = global(spec);
        return clusterLoader().load(chooseClusterFile(global.clusterFile(), global.context(), System.getenv()));
    }

    /** The loader a command uses: with the validated model kept between runs (ClusterModelCache), read back while the file is unchanged. */
    public static ClusterFileLoader clusterLoader() {
        ClusterFileLoader loader = new ClusterFileLoader();
        return ClusterModelCache.forThisProcess(System.getenv()).map(loader::withCache).orElse(loader);
    }

    /**
     * The cluster file a command uses, first found: {@code -c FILE}; the context named by {@code --context};
     * by {@code CONNECT_CONTEXT}; {@code CONNECT_CLUSTER}; the current context; {@code ./cluster.yaml}.
     * The contexts file is read only when a context is named or it exists: a run with {@code -c} or
     * {@code CONNECT_CLUSTER} never looks, and one without a contexts file pays one {@code stat}.
     */
    static Path chooseClusterFile(Path clusterOption, String contextOption, Map<String, String> environment) {
        if (clusterOption != null) {
            if (contextOption != null) {
                throw ConnectError.invalidInput(BOTH_CLUSTER_AND_CONTEXT);
            }
            return clusterOption;
        }
        if (contextOption != null) {
            return contextFile(contextOption, null, environment);
        }
        String fromEnvironment = environment.get("CONNECT_CONTEXT");
        if (fromEnvironment != null) {
            if (fromEnvironment.isEmpty()) {
                throw ConnectError.invalidInput("CONNECT_CONTEXT is set but empty; set it to a context name, or unset it");
            }
            return contextFile(fromEnvironment, "CONNECT_CONTEXT", environment);
        }
        String cluster = environment.get("CONNECT_CLUSTER");
        if (cluster != null) {
            return Path.of(cluster); // an empty one is named by the loader
        }
        // ContextStore is loaded only when there is a contexts file: the common run stays as it was
        Path contextsFile = contextsFile(environment);
        if (Files.exists(contextsFile)) {
            ClusterContexts contexts = ContextStore.open(contextsFile.getParent()).read();
            if (contexts.currentContext().isPresent()) {
                return contexts.currentContext().get().clusterFile();
            }
        }
        return Path.of("cluster.yaml");
    }

    private static Path contextFile(String name, String from, Map<String, String> environment) {
        ClusterContexts contexts = ContextStore.openDefault(environment).read();
        return contexts.find(name).orElseThrow(() -> new UnknownContextException(name, contexts.names(), from)).clusterFile();
    }

    /** {@link ContextStore#defaultDir}'s file, computed here so that a run without contexts does not load the store's classes. */
    static Path contextsFile(Map<String, String> environment) {
        String xdg = environment.get("XDG_CONFIG_HOME");
        if (xdg != null && xdg.startsWith("/")) {
            return Path.of(xdg, "connect", ContextStore.FILE_NAME);
        }
        String home = environment.get("HOME");
        return Path.of(home != null && home.startsWith("/") ? home : System.getProperty("user.home"), ".config", "connect", ContextStore.FILE_NAME);
    }

    /** Progress lines on stderr, silenced by -q. */
    public static Progress progress(CommandSpec spec) {
        return new Progress(spec.commandLine().getErr(), global(spec).quiet());
    }
}
