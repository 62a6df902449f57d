package io.connectha.cli.drill;

import io.connectha.cli.QuantityConverters;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Duration;

/** The options {@code drill rejoin} and {@code drill split-brain} share: the rejoin deadline, the report, the table. */
public final class LabDrillOptions {

    @Option(names = "--max-rejoin", converter = QuantityConverters.PositiveTime.class, defaultValue = "60s", paramLabel = "TIME",
            description = "The old leader must stream again (and catch up) within this of its start (default: ${DEFAULT-VALUE}).")
    Duration maxRejoin;

    @Option(names = "--report", paramLabel = "DIR", description = "Write report.json and junit.xml there.")
    Path report;

    @Option(names = "--keep-table", description = "Leave the drill's table for inspection.")
    boolean keepTable;

    Duration maxRejoin() {
        return maxRejoin;
    }
}
