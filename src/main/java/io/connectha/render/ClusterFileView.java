package io.connectha.render;

import io.connectha.cluster.LoadedCluster;

/** The effective cluster file as YAML, with a header saying where it came from. */
public final class ClusterFileView {

    private ClusterFileView() {
    }

    public static String yaml(LoadedCluster cluster) {
        return "# effective cluster file: " + cluster.file() + " with defaults filled in\n" + Renderer.yaml(cluster.spec());
    }
}
