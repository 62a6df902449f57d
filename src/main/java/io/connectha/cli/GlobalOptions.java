package io.connectha.cli;

import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

import java.nio.file.Path;

/**
 * Options every command takes. They are declared once, on the root command, and inherited by
 * every subcommand; picocli sets them on this one object wherever they appear on the line.
 */
public final class GlobalOptions {

    @Option(names = {"-v", "--verbose"}, scope = ScopeType.INHERIT,
            description = "Debug logs on stderr, and stack traces with errors.")
    boolean verbose;

    @Option(names = {"-q", "--quiet"}, scope = ScopeType.INHERIT,
            description = "Only errors on stderr: no progress or warnings.")
    boolean quiet;

    // no default value here: whether -c was given decides the precedence (CommandContext.chooseClusterFile)
    @Option(names = {"-c", "--cluster"}, scope = ScopeType.INHERIT, paramLabel = "FILE",
            description = {"Cluster file (default: that of --context NAME,", "else of $CONNECT_CONTEXT, else $CONNECT_CLUSTER,",
                    "else that of the current context,", "else cluster.yaml in the current directory)."})
    Path clusterFile;

    @Option(names = "--context", scope = ScopeType.INHERIT, paramLabel = "NAME",
            description = {"Use the cluster file of context NAME", "(see 'connect ha context'; default: $CONNECT_CONTEXT)."})
    String context;

    public boolean verbose() {
        return verbose;
    }

    public boolean quiet() {
        return quiet;
    }

    /** The cluster file given with -c, or null when none was. */
    public Path clusterFile() {
        return clusterFile;
    }

    /** The context given with --context, or null when none was. */
    public String context() {
        return context;
    }
}
