package io.connectha.cli;

import io.connectha.render.OutputFormat;
import picocli.CommandLine.Option;

/** {@code -o table|json|yaml}, mixed into every command that has data to show. */
public final class OutputOptions {

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "table",
            description = "Output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    OutputFormat format;

    public OutputFormat format() {
        return format;
    }
}
