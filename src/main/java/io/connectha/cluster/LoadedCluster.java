package io.connectha.cluster;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * A validated cluster file and where it came from (relative secret file paths resolve against it).
 *
 * @param warnings  what the file has that a running cluster may well have but connect would not generate
 *                  (Patroni's timing rule broken, ports in the ephemeral range), by position; never refused
 * @param setInFile the JSON pointers of the fields the file itself sets ({@code /patroni/ttl}); every other
 *                  field of {@link #spec()} holds a default. A setting the file leaves out is no opinion on
 *                  what the cluster runs, so it cannot drift from it.
 */
public record LoadedCluster(Path file, ClusterSpec spec, List<ClusterFileProblem> warnings, Set<String> setInFile) {

    public LoadedCluster(Path file, ClusterSpec spec) {
        this(file, spec, List.of());
    }

    public LoadedCluster(Path file, ClusterSpec spec, List<ClusterFileProblem> warnings) {
        this(file, spec, warnings, Set.of());
    }

    /** Whether the file itself sets the field at this JSON pointer, as {@code /patroni/loop_wait}. */
    public boolean sets(String pointer) {
        return setInFile.contains(pointer);
    }
}
