package io.connectha.cli.drill;

import io.connectha.cli.TimeoutOptions;
import io.connectha.drill.FailoverDrill;
import io.connectha.drill.FaultKind;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Duration;

/** The options {@code drill failover} and {@code drill switchover} share: the load, the thresholds, and where the report goes. */
public final class DrillOptions {

    @Option(names = "--clients", defaultValue = "4", description = "Writing clients (default: ${DEFAULT-VALUE}).")
    int clients;

    @Option(names = "--duration", defaultValue = "20s", paramLabel = "TIME", description = "Load after the fault (default: ${DEFAULT-VALUE}).")
    String duration;

    @Option(names = "--report", paramLabel = "DIR", description = "Write report.json and junit.xml there.")
    Path report;

    @Option(names = "--max-rto", defaultValue = "30s", paramLabel = "TIME", description = "Client RTO threshold (default: ${DEFAULT-VALUE}).")
    String maxRto;

    @Option(names = "--max-lost-writes", defaultValue = "0", description = "Lost acknowledged writes allowed (default: ${DEFAULT-VALUE}).")
    long maxLostWrites;

    @Option(names = "--max-error-rate", defaultValue = "5%", paramLabel = "PCT", description = "Failed writes allowed (default: ${DEFAULT-VALUE}).")
    String maxErrorRate;

    @Option(names = "--max-p95", defaultValue = "2s", paramLabel = "TIME", description = "p95 write latency threshold (default: ${DEFAULT-VALUE}).")
    String maxP95;

    @Option(names = "--max-rejoin", defaultValue = "60s", paramLabel = "TIME",
            description = "The old leader must stream again within this (default: ${DEFAULT-VALUE}).")
    String maxRejoin;

    @Option(names = "--keep-table", description = "Leave the drill's table (connect_drill) on the new leader for inspection.")
    boolean keepTable;

    /** The drill's options for this fault, every value parsed. */
    FailoverDrill.Options failover(FaultKind kind) {
        double errorRate = Double.parseDouble(maxErrorRate.strip().replace("%", "")) / (maxErrorRate.contains("%") ? 100 : 1);
        return new FailoverDrill.Options(kind, clients, TimeoutOptions.parseOption("--duration", duration),
                Duration.ofSeconds(2), TimeoutOptions.parseOption("--max-rto", maxRto), maxLostWrites, errorRate,
                TimeoutOptions.parseOption("--max-p95", maxP95), TimeoutOptions.parseOption("--max-rejoin", maxRejoin), keepTable);
    }
}
