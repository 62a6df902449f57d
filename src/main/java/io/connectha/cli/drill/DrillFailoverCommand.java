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
                "Exit 0 when every threshold holds, 1 when one fails."})
public final class DrillFailoverCommand implements Runnable {

    @Option(names = "--fault", defaultValue = "postmaster-kill", paramLabel = "KIND",
            description = "postmaster-kill (default), patroni-kill (node loss: Patroni and its PostgreSQL), switchover (planned).")
    String fault;

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
        FailoverDrill.Options options = new FailoverDrill.Options(kind, clients, TimeoutOptions.parseOption("--duration", duration),
                java.time.Duration.ofSeconds(2), TimeoutOptions.parseOption("--max-rto", maxRto), maxLostWrites, errorRate,
                TimeoutOptions.parseOption("--max-p95", maxP95), TimeoutOptions.parseOption("--max-rejoin", maxRejoin), keepTable);
        var progress = CommandContext.progress(spec);
        progress.info("Drill: " + kind.option() + " on the leader of " + c.name() + ", " + clients + " writing clients through HAProxy, "
                + duration + " of load after the fault.");
        if (c.drills() != ClusterSpec.DrillPolicy.allowed) {
            Confirmation.onTerminal(spec).require("run a " + kind.option() + " drill on " + c.name(), confirm.yes());
        }
        DrillReport result = new FailoverDrill(cluster, new SecretResolver(cluster), progress).run(options);
        DrillView.summary(spec.commandLine().getOut(), result);
        DrillReports.write(report, result, DrillView.junit(result), progress);
        if (!result.passed()) {
            throw new ExitException(ExitCodes.FAILURE, null);
        }
    }
}
