package io.connectha.cli.drill;

import io.connectha.cli.ExitCodes;
import io.connectha.cli.CommandContext;
import io.connectha.cli.QuantityConverters;
import io.connectha.cli.YesOption;
import io.connectha.cluster.ClusterSpec;
import io.connectha.cluster.LoadedCluster;
import io.connectha.cluster.SecretResolver;
import io.connectha.drill.SplitBrainDrill;
import io.connectha.drill.SplitBrainReport;
import io.connectha.render.RecoveryDrillView;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "split-brain",
        exitCodeList = {ExitCodes.LINE_OK, ExitCodes.LINE_FAILURE, ExitCodes.LINE_USAGE, ExitCodes.LINE_UNREACHABLE, ExitCodes.LINE_AUTHENTICATION_FAILED, ExitCodes.LINE_MISSING_PROGRAM, ExitCodes.LINE_INTERRUPTED},
        mixinStandardHelpOptions = true,
        description = {"On a lab: lose the leader's node, and while a new leader holds the leader key start the old node again; every "
                + "50 ms throughout, write straight to every member and through HAProxy's write port, and prove that only one member "
                + "ever accepted writes, that HAProxy only reached the key's holder, and that the old leader ends as a streaming "
                + "replica.",
                "Exit 0 when every criterion holds, 1 when one fails. Ctrl-C stops writing, starts the old node again and waits "
                        + "for the cluster to be healthy."})
public final class DrillSplitBrainCommand implements Runnable {

    @Option(names = "--before", converter = QuantityConverters.PositiveTime.class, defaultValue = "1s", paramLabel = "TIME", description = "Sampling before the fault (default: ${DEFAULT-VALUE}).")
    java.time.Duration before;

    @Option(names = "--after", converter = QuantityConverters.PositiveTime.class, defaultValue = "1s", paramLabel = "TIME",
            description = "Sampling after the old leader streams again (default: ${DEFAULT-VALUE}).")
    java.time.Duration after;

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
        SplitBrainDrill.Options options = new SplitBrainDrill.Options(before,
                after, lab.maxRejoin(), lab.keepTable);
        var progress = CommandContext.progress(spec);
        progress.info("Drill: split-brain on " + c.name() + ": node loss of the leader, then its node started again under a new leader.");
        DrillSafety.confirm(spec, c, "split-brain", confirm.yes());
        SplitBrainReport result = new SplitBrainDrill(cluster, new SecretResolver(cluster), progress).run(options);
        RecoveryDrillView.splitBrain(spec.commandLine().getOut(), result);
        DrillReports.conclude(lab.report, result, RecoveryDrillView.splitBrainJunit(result), result.passed(), progress);
    }
}
