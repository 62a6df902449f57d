package io.connectha.cli.drill;

import io.connectha.cli.CommandContext;
import io.connectha.cli.Confirmation;
import io.connectha.cli.ExitCodes;
import io.connectha.cli.ExitException;
import io.connectha.cli.TimeoutOptions;
import io.connectha.cli.YesOption;
import io.connectha.cluster.ClusterSpec;
import io.connectha.cluster.LoadedCluster;
import io.connectha.cluster.SecretResolver;
import io.connectha.drill.DrillReport;
import io.connectha.drill.DrillSeries;
import io.connectha.drill.FailoverDrill;
import io.connectha.drill.FaultKind;
import io.connectha.error.ConnectError;
import io.connectha.render.DrillView;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;

@Command(name = "failover", mixinStandardHelpOptions = true,
        description = {"Kill (or switch over) the leader under write load and measure, to the millisecond: detection, the new leader,",
                "HAProxy's switch, the first write on the new leader (client RTO), every client's longest gap; then prove that no",
                "acknowledged write was lost, that no two members took writes at once, and that the old leader streams again.",
                "Exit 0 when every threshold holds, 1 when one fails (in any run, with --repeat). Ctrl-C stops the load, starts",
                "what the fault stopped, waits for the cluster to be healthy and drops the drill table."})
public final class DrillFailoverCommand implements Runnable {

    @Option(names = "--fault", defaultValue = "postmaster-kill", paramLabel = "KIND",
            description = {"postmaster-kill (default: kill -9 of the postmaster), patroni-kill (node loss: kill -9 of Patroni and its",
                    "PostgreSQL), patroni-stop (graceful), pg-stop (pg_ctl stop -m fast), switchover (planned, through Patroni),",
                    "etcd-leader-kill (kill -9 of etcd's raft leader; needs 3 etcd members)."})
    String fault;

    @Option(names = "--via", defaultValue = "haproxy", paramLabel = "PATH",
            description = "Write through haproxy (its write port, the default) or pgbouncer.")
    String via;

    @Option(names = "--readers", defaultValue = "2", description = "Readers on HAProxy's read port (default: ${DEFAULT-VALUE}).")
    int readers;

    @Option(names = "--repeat", defaultValue = "1", paramLabel = "N",
            description = "Run the drill N times, each after preflight passes again, and report the distribution (p50, p95, max).")
    int repeat;

    @Option(names = "--probe-url", paramLabel = "URL",
            description = "Also probe this HTTP URL (the application's health endpoint) during the drill; a 2xx answer is up.")
    String probeUrl;

    @Option(names = "--probe-interval", defaultValue = "100ms", paramLabel = "TIME",
            description = "How often to probe --probe-url (default: ${DEFAULT-VALUE}).")
    String probeInterval;

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

    @Mixin
    YesOption confirm;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        LoadedCluster cluster = CommandContext.loadCluster(spec);
        ClusterSpec c = cluster.spec();
        FaultKind kind = FaultKind.of(fault);
        if (c.drills() != ClusterSpec.DrillPolicy.allowed && !confirm.yes()) {
            throw ConnectError.invalidInput("the cluster file does not allow drills (drills: allowed); give --yes to run one anyway");
        }
        double errorRate = Double.parseDouble(maxErrorRate.strip().replace("%", "")) / (maxErrorRate.contains("%") ? 100 : 1);
        FailoverDrill.Via path = via(via);
        if (clients < 1 || readers < 0 || repeat < 1) {
            throw ConnectError.invalidInput("--clients and --repeat must be at least 1, --readers at least 0");
        }
        if (probeUrl != null && !probeUrl.matches("(?i)https?://.+")) {
            throw ConnectError.invalidInput("--probe-url: '" + probeUrl + "' is not an http:// or https:// URL");
        }
        FailoverDrill.Options options = new FailoverDrill.Options(kind, path, clients, readers,
                TimeoutOptions.parseOption("--duration", duration), java.time.Duration.ofSeconds(2),
                TimeoutOptions.parseOption("--max-rto", maxRto), maxLostWrites, errorRate, TimeoutOptions.parseOption("--max-p95", maxP95),
                TimeoutOptions.parseOption("--max-rejoin", maxRejoin), keepTable, probeUrl,
                TimeoutOptions.parseOption("--probe-interval", probeInterval));
        var progress = CommandContext.progress(spec);
        FailoverDrill drill = new FailoverDrill(cluster, new SecretResolver(cluster), progress);
        String by = drill.faults(kind).map(f -> f.describe()).orElse("Patroni's REST API");
        progress.info("Drill: " + kind.option() + (kind.hitsEtcd() ? " on etcd's raft leader" : " on the leader") + " of " + c.name()
                + " (through " + by + "), " + clients + " writing clients through " + path + ", " + readers + " readers, " + duration
                + " of load after the fault" + (repeat > 1 ? ", " + repeat + " times" : "") + ".");
        if (c.drills() != ClusterSpec.DrillPolicy.allowed) {
            Confirmation.onTerminal(spec).require("run a " + kind.option() + " drill on " + c.name(), confirm.yes());
        }
        boolean passed;
        if (repeat == 1) {
            DrillReport result = drill.run(options);
            DrillView.summary(spec.commandLine().getOut(), result);
            DrillReports.write(report, result, DrillView.junit(result), progress);
            passed = result.passed();
        } else {
            DrillSeries series = drill.repeat(options, repeat);
            DrillView.summary(spec.commandLine().getOut(), series);
            DrillReports.write(report, series, DrillView.junit(series), progress);
            passed = series.passed();
        }
        if (!passed) {
            throw new ExitException(ExitCodes.FAILURE, null);
        }
    }

    private static FailoverDrill.Via via(String value) {
        try {
            return FailoverDrill.Via.valueOf(value);
        } catch (IllegalArgumentException e) {
            throw ConnectError.invalidInput("--via: '" + value + "' is not haproxy or pgbouncer");
        }
    }
}
