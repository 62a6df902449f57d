package io.connectha.cluster;

import java.nio.file.Path;

/** A validated cluster file and where it came from (relative secret file paths resolve against it). */
public record LoadedCluster(Path file, ClusterSpec spec) {
}
