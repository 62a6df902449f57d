package io.connectha.cluster;

/** One thing wrong in a cluster file, with where it is (1-based line and column, 0 when unknown). */
public record ClusterFileProblem(int line, int column, String path, String message) {

    public ClusterFileProblem {
        if (path != null && !path.isEmpty() && !message.startsWith(path + ":")) {
            message = path + ": " + message;
        }
    }
}
