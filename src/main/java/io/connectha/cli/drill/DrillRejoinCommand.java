package io.connectha.cli.drill;

import io.connectha.cli.ExitCodes;
import io.connectha.cli.CommandContext;
import io.connectha.cli.QuantityConverters;
import io.connectha.cli.YesOption;
import io.connectha.cluster.ClusterSpec;
import io.connectha.cluster.LoadedCluster;
import io.connectha.cluster.SecretResolver;
import io.connectha.drill.RejoinDrill;
import io.connectha.drill.RejoinReport;
import io.connectha.render.RecoveryDrillView;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.time.Duration;

@Command(name = "rejoin",
        exitCodeList = {ExitCodes.LINE_OK, ExitCodes.LINE_FAILURE, ExitCodes.LINE_USAGE, ExitCodes.LINE_UNREACHABLE, ExitCodes.LINE_AUTHENTICATION_FAILED, ExitCodes.LINE_MISSING_PROGRAM, ExitCodes.LINE_INTERRUPTED},
        mixinStandardHelpOptions = true,
        description = {"The rollback test, on a lab: lose the leader's node under write load, let another member take over and write "
                + "on, then start the old node again and measure, from its start, Patroni running, the new timeline, streaming from "
                + "the new leader, replay caught up; check that its data is identical to the leader's and whether pg_rewind ran.",
                "Exit 0 when every criterion holds, 1 when one fails. Ctrl-C stops the load, starts the old node again and waits "
                        + "for the cluster to be healthy."})
public final class DrillRejoinCommand implements Runnable {

    @Option(names = "--clients", defaultValue = "2", description = "Writing clients through HAProxy (default: ${DEFAULT-VALUE}).")
    int clients;

    @Option(names = "--diverge", converter = QuantityConverters.PositiveTime.class, defaultValue = "2s", paramLabel = "TIME",
            description = "Writes on the new leader before the old node comes back (default: ${DEFAULT-VALUE}).")
    Duration diverge;

    @Mixin
    LabDrillOptions lab;

    @Mixin
    YesOption confirm;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        LoadedCluster cluster = CommandContext.loadCluster(spec);
        ClusterSpec c = cluster.spec();
        DrillSafety.requireAllowedOrYes(c, confirm.yes());
        RejoinDrill.Options options = new RejoinDrill.Options(clients, Duration.ofSeconds(2), diverge,
                lab.maxRejoin(), lab.keepTable);
        var progress = CommandContext.progress(spec);
        progress.info("Drill: rejoin of the leader of " + c.name() + " after node loss, " + clients + " writing clients through HAProxy.");
        DrillSafety.confirm(spec, c, "rejoin", confirm.yes());
        RejoinReport result = new RejoinDrill(cluster, new SecretResolver(cluster), progress).run(options);
        RecoveryDrillView.rejoin(spec.commandLine().getOut(), result);
        DrillReports.conclude(lab.report, result, RecoveryDrillView.rejoinJunit(result), result.passed(), progress);
    }
}
