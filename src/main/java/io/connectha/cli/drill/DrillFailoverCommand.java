package io.connectha.cli.drill;

import io.connectha.cli.CommandContext;
import io.connectha.cli.Confirmation;
import io.connectha.cli.ExitCodes;
import io.connectha.cli.ExitException;
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

@Command(name = "failover", mixinStandardHelpOptions = true,
        description = {"Kill (or switch over) the leader under write load and measure, to the millisecond: detection, the new leader,",
                "HAProxy's switch, the first write on the new leader (client RTO), every client's longest gap; then prove that no",
                "acknowledged write was lost, that no two members took writes at once, and that the old leader streams again.",
                "Exit 0 when every threshold holds, 1 when one fails."})
public final class DrillFailoverCommand implements Runnable {

    @Option(names = "--fault", defaultValue = "postmaster-kill", paramLabel = "KIND",
            description = "postmaster-kill (default), patroni-kill (node loss: Patroni and its PostgreSQL), switchover (planned).")
    String fault;

    @Mixin
    DrillOptions drill;

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
        FailoverDrill.Options options = drill.failover(kind);
        var progress = CommandContext.progress(spec);
        progress.info("Drill: " + kind.option() + " on the leader of " + c.name() + ", " + drill.clients + " writing clients through HAProxy, "
                + drill.duration + " of load after the fault.");
        if (c.drills() != ClusterSpec.DrillPolicy.allowed) {
            Confirmation.onTerminal(spec).require("run a " + kind.option() + " drill on " + c.name(), confirm.yes());
        }
        DrillReport result = new FailoverDrill(cluster, new SecretResolver(cluster), progress).run(options);
        DrillView.summary(spec.commandLine().getOut(), result);
        DrillReports.write(drill.report, result, DrillView.junit(result), progress);
        if (!result.passed()) {
            throw new ExitException(ExitCodes.FAILURE, null);
        }
    }
}
