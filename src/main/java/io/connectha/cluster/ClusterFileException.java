package io.connectha.cluster;

import io.connectha.error.ConnectError;

import java.nio.file.Path;
import java.util.List;

/**
 * A cluster file that cannot be used. The message is one line, in the form compilers use:
 * {@code cluster.yaml:12:7: members[1].port: 70000 is out of range (1-65535)}.
 */
public final class ClusterFileException extends ConnectError {

    private final List<ClusterFileProblem> problems;

    public ClusterFileException(Path file, List<ClusterFileProblem> problems) {
        super(Kind.INVALID_INPUT, format(file, problems));
        this.problems = List.copyOf(problems);
    }

    public ClusterFileException(Path file, ClusterFileProblem problem, Throwable cause) {
        super(Kind.INVALID_INPUT, format(file, List.of(problem)), cause);
        this.problems = List.of(problem);
    }

    public List<ClusterFileProblem> problems() {
        return problems;
    }

    private static String format(Path file, List<ClusterFileProblem> problems) {
        ClusterFileProblem first = problems.get(0);
        String line = file + ":" + first.line() + ":" + first.column() + ": " + first.message();
        if (problems.size() > 1) {
            line += " (and " + (problems.size() - 1) + " more problem" + (problems.size() > 2 ? "s" : "") + ")";
        }
        return line;
    }
}
