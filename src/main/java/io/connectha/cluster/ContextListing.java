package io.connectha.cluster;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * {@code connect ha context list}: every context, whether it is current, and the name of its cluster
 * when the file loads (else the file's one-line error). This record is the JSON of {@code -o json}.
 */
public record ContextListing(String contextsFile, String current, List<Entry> contexts) {

    /** @param cluster the cluster's name from its file; null when the file does not load, and {@code error} says why */
    public record Entry(String name, String clusterFile, boolean current, String cluster, String error) {
    }

    public static ContextListing of(Path contextsFile, ClusterContexts contexts, Function<Path, LoadedCluster> loader) {
        List<Entry> entries = new ArrayList<>();
        for (ClusterContext c : contexts.contexts()) {
            String cluster = null;
            String error = null;
            try {
                cluster = loader.apply(c.clusterFile()).spec().name();
            } catch (RuntimeException e) {
                error = e.getMessage() == null ? "cannot load" : e.getMessage().lines().findFirst().orElse("cannot load");
            }
            entries.add(new Entry(c.name(), c.clusterFile().toString(), c.name().equals(contexts.current()), cluster, error));
        }
        return new ContextListing(contextsFile.toString(), contexts.current(), entries);
    }
}
