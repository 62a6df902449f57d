package io.connectha.cli.drill;

import io.connectha.cli.CommandContext;
import io.connectha.cli.ExitCodes;
import io.connectha.cli.ExitException;
import io.connectha.cli.YesOption;
import io.connectha.cluster.ClusterSpec;
import io.connectha.cluster.LoadedCluster;
import io.connectha.cluster.SecretResolver;
import io.connectha.drill.DrillReport;
import io.connectha.drill.FailoverDrill;
import io.connectha.drill.FaultKind;
import io.connectha.render.DrillView;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "switchover",
        exitCodeList = {ExitCodes.LINE_OK, ExitCodes.LINE_FAILURE, ExitCodes.LINE_USAGE, ExitCodes.LINE_UNREACHABLE, ExitCodes.LINE_AUTHENTICATION_FAILED, ExitCodes.LINE_MISSING_PROGRAM, ExitCodes.LINE_INTERRUPTED},
        mixinStandardHelpOptions = true,
        description = {"The planned case: a switchover through Patroni's API under write load, measured as `drill failover --fault "
                + "switchover` measures it, with the same options and report: the new leader, HAProxy's switch, client RTO, no "
                + "acknowledged write lost, the old leader streaming again.",
                "Works on any cluster (no process is touched). Exit 0 when every threshold holds, 1 when one fails."})
public final class DrillSwitchoverCommand implements Runnable {

    @Mixin
    DrillOptions drill;

    @Mixin
    YesOption confirm;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        drill.execute(spec, FaultKind.SWITCHOVER, confirm.yes());
    }
}
