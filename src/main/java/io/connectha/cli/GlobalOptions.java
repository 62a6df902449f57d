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

    @Option(names = {"-c", "--cluster"}, scope = ScopeType.INHERIT, paramLabel = "FILE",
            defaultValue = "${env:CONNECT_CLUSTER:-cluster.yaml}",
            description = {"Cluster file (default: $CONNECT_CLUSTER,", "else cluster.yaml in the current directory)."})
    Path clusterFile;

    public boolean verbose() {
        return verbose;
    }

    public boolean quiet() {
        return quiet;
    }

    public Path clusterFile() {
        return clusterFile;
    }
}
