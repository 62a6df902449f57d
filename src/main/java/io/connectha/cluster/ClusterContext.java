package io.connectha.cluster;

import java.nio.file.Path;

/** A name for a cluster file, as kubectl names a cluster: {@code connect ha --context prod status}. */
public record ClusterContext(String name, Path clusterFile) {
}
