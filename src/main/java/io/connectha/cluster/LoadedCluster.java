package io.connectha.cluster;

import java.nio.file.Path;
import java.util.List;

/**
 * A validated cluster file and where it came from (relative secret file paths resolve against it).
 *
 * @param warnings what the file has that a running cluster may well have but connect would not generate
 *                 (Patroni's timing rule broken, ports in the ephemeral range), by position; never refused
 */
public record LoadedCluster(Path file, ClusterSpec spec, List<ClusterFileProblem> warnings) {

    public LoadedCluster(Path file, ClusterSpec spec) {
        this(file, spec, List.of());
    }
}
