package io.connectha.cli.drill;

import io.connectha.cli.CommandContext;
import io.connectha.cli.QuantityConverters;
import io.connectha.cluster.ClusterSpec;
import io.connectha.cluster.LoadedCluster;
import io.connectha.cluster.SecretResolver;
import io.connectha.drill.DrillReport;
import io.connectha.drill.DrillSeries;
import io.connectha.drill.FailoverDrill;
import io.connectha.drill.FaultKind;
import io.connectha.error.ConnectError;
import io.connectha.render.DrillView;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The options {@code drill failover} and {@code drill switchover} share: the load, the thresholds, the
 * repeats and where the report goes; and the run both make of them.
 */
public final class DrillOptions {

    @Option(names = "--via", defaultValue = "haproxy", paramLabel = "PATH",
            description = "Write through haproxy (its write port, the default) or pgbouncer.")
    String via;

    @Option(names = "--clients", defaultValue = "4", description = "Writing clients (default: ${DEFAULT-VALUE}).")
    int clients;

    @Option(names = "--readers", defaultValue = "2", description = "Readers on HAProxy's read port (default: ${DEFAULT-VALUE}).")
    int readers;

    @Option(names = "--duration", converter = QuantityConverters.PositiveTime.class, defaultValue = "20s", paramLabel = "TIME",
            description = "Load after the fault; at least 3 s more once the leader is back (default: ${DEFAULT-VALUE}).")
    Duration duration;

    @Option(names = "--repeat", defaultValue = "1", paramLabel = "N",
            description = "Run the drill N times, each after preflight passes again, and report the distribution (p50, p95, max).")
    int repeat;

    @Option(names = "--probe-url", paramLabel = "URL",
            description = "Also probe this HTTP URL (the application's health endpoint) during the drill; a 2xx answer is up.")
    String probeUrl;

    @Option(names = "--probe-interval", converter = QuantityConverters.PositiveTime.class, defaultValue = "100ms", paramLabel = "TIME",
            description = "How often to probe --probe-url (default: ${DEFAULT-VALUE}).")
    Duration probeInterval;

    @Option(names = "--report", paramLabel = "DIR", description = "Write report.json and junit.xml there.")
    Path report;

    @Option(names = "--max-rto", converter = QuantityConverters.PositiveTime.class, defaultValue = "30s", paramLabel = "TIME", description = "Client RTO threshold (default: ${DEFAULT-VALUE}).")
    Duration maxRto;

    @Option(names = "--max-lost-writes", defaultValue = "0", description = "Lost acknowledged writes allowed (default: ${DEFAULT-VALUE}).")
    long maxLostWrites;

    @Option(names = "--max-error-rate", defaultValue = "5%", paramLabel = "PCT",
            description = "Failed writes (and failed HTTP probes) allowed (default: ${DEFAULT-VALUE}).")
    String maxErrorRate;

    @Option(names = "--max-p95", converter = QuantityConverters.PositiveTime.class, defaultValue = "2s", paramLabel = "TIME", description = "p95 write latency threshold (default: ${DEFAULT-VALUE}).")
    Duration maxP95;

    @Option(names = "--max-rejoin", converter = QuantityConverters.PositiveTime.class, defaultValue = "60s", paramLabel = "TIME",
            description = "The old leader must stream again, and the cluster be healthy, within this (default: ${DEFAULT-VALUE}).")
    Duration maxRejoin;

    @Option(names = "--keep-table", description = "Leave the drill's table (connect_drill) on the new leader for inspection.")
    boolean keepTable;

    /** The drill's options for this fault, every value parsed and checked. */
    FailoverDrill.Options failover(FaultKind kind) {
        if (clients < 1 || readers < 0 || repeat < 1) {
            throw ConnectError.invalidInput("--clients and --repeat must be at least 1, --readers at least 0");
        }
        if (probeUrl != null && !probeUrl.matches("(?i)https?://.+")) {
            throw ConnectError.invalidInput("--probe-url: '" + probeUrl + "' is not an http:// or https:// URL");
        }
        double errorRate;
        try {
            errorRate = Double.parseDouble(maxErrorRate.strip().replace("%", "")) / (maxErrorRate.contains("%") ? 100 : 1);
        } catch (NumberFormatException e) {
            throw ConnectError.invalidInput("--max-error-rate: '" + maxErrorRate + "' is not a percentage such as 5%");
        }
        return new FailoverDrill.Options(kind, via(), clients, readers, duration,
                Duration.ofSeconds(2), maxRto, maxLostWrites, errorRate,
                maxP95, maxRejoin, keepTable, probeUrl,
                probeInterval);
    }

    /** Whom the announcement says the fault hits. */
    private static String on(FaultKind kind) {
        return switch (kind.target()) {
            case LEADER -> " on the leader";
            case REPLICA -> " on a replica";
            case HALF -> " on a random half of the member hosts";
            case ETCD_LEADER -> " on etcd's raft leader";
            case ETCD_MAJORITY -> " on a majority of etcd members";
        };
    }

    private FailoverDrill.Via via() {
        try {
            return FailoverDrill.Via.valueOf(via);
        } catch (IllegalArgumentException e) {
            throw ConnectError.invalidInput("--via: '" + via + "' is not haproxy or pgbouncer");
        }
    }

    /**
     * Runs {@code drill failover} (or switchover) as the options say: the announcement, the confirmation when the
     * cluster file does not allow drills, one run or --repeat, the summary, the reports; exit 1 when a threshold fails.
     */
    void execute(CommandSpec spec, FaultKind kind, boolean yes) {
        execute(spec, kind, yes, java.util.function.UnaryOperator.identity());
    }

    /** As above, with what {@code drill failover} adds to the options (held faults). */
    void execute(CommandSpec spec, FaultKind kind, boolean yes, java.util.function.UnaryOperator<FailoverDrill.Options> more) {
        LoadedCluster cluster = CommandContext.loadCluster(spec);
        ClusterSpec c = cluster.spec();
        DrillSafety.requireAllowedOrYes(c, yes);
        FailoverDrill.Options options = more.apply(failover(kind));
        var progress = CommandContext.progress(spec);
        FailoverDrill drill = new FailoverDrill(cluster, new SecretResolver(cluster), progress);
        String by = drill.faults(kind).map(f -> f.describe()).orElse("Patroni's REST API");
        progress.info("Drill: " + kind.option() + on(kind) + " of " + c.name()
                + " (through " + by + "), " + clients + " writing clients through " + via + ", " + readers + " readers, " + io.connectha.units.Units.shortDuration(duration)
                + " of load after the fault" + (repeat > 1 ? ", " + repeat + " times" : "") + ".");
        DrillSafety.confirm(spec, c, kind.option(), yes);
        if (repeat == 1) {
            DrillReport result = drill.run(options);
            DrillView.summary(spec.commandLine().getOut(), result);
            DrillReports.conclude(report, DrillView.json(result), DrillView.junit(result), result.passed(), progress);
        } else {
            DrillSeries series = drill.repeat(options, repeat);
            DrillView.summary(spec.commandLine().getOut(), series);
            DrillReports.conclude(report, DrillView.json(series), DrillView.junit(series), series.passed(), progress);
        }
    }
}
