package io.connectha.cluster;

/** One thing wrong in a cluster file, with where it is (1-based line and column, 0 when unknown). */
public record ClusterFileProblem(int line, int column, String path, String message) {

    /**
     * By line, then column. A plain lambda, not {@code Comparator.comparingInt(...)}: the JDK's
     * comparator factories return serializable lambdas, which a class-data cache cannot hold, so
     * every run would generate their classes again (measured: two lambda and two method-handle
     * classes spun on every cluster file load).
     */
    public static final java.util.Comparator<ClusterFileProblem> BY_POSITION =
            (a, b) -> a.line != b.line ? Integer.compare(a.line, b.line) : Integer.compare(a.column, b.column);

    public ClusterFileProblem {
        if (path != null && !path.isEmpty() && !message.startsWith(path + ":")) {
            message = path + ": " + message;
        }
    }
}
