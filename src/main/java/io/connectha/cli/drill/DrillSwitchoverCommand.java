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
import io.connectha.status.PooledSwitchover;
import io.connectha.drill.FaultKind;
import io.connectha.render.DrillView;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import io.connectha.cli.QuantityConverters;
import io.connectha.error.ConnectError;

import java.time.Duration;

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

    @Option(names = "--pause-pooler", description = {"Switch over as `patroni switchover --pause-pooler` does: PgBouncer PAUSEs the application's",
            "database(s) while the leader moves, so that clients wait instead of failing. Needs --via pgbouncer; adds the pause's",
            "figures to the report and two criteria: no failed write, and the longest client wait within the promotion + 1 s."})
    boolean pausePooler;

    @Option(names = "--pause-timeout", converter = QuantityConverters.PositiveTime.class, defaultValue = "5s", paramLabel = "TIME",
            description = "With --pause-pooler: how long PAUSE may wait for running transactions (default: ${DEFAULT-VALUE}).")
    Duration pauseTimeout;

    @Option(names = "--steer-haproxy", negatable = true, description = "With --pause-pooler: right after the promotion, force the old leader's server in HAProxy's write backend down and the new leader's up "
                    + "(admin socket), instead of waiting for the health checks. Default: on when PgBouncer goes through HAProxy's write port and "
                    + "the admin socket is writable (a failed steering then only costs that wait); --no-steer-haproxy waits for the health checks.")
    Boolean steerHaproxy;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        if ((pausePooler || steerHaproxy != null) && !"pgbouncer".equals(drill.via)) {
            throw ConnectError.invalidInput("--pause-pooler and --[no-]steer-haproxy need --via pgbouncer: the clients must go through PgBouncer");
        }
        if (steerHaproxy != null && !pausePooler) {
            throw ConnectError.invalidInput("--[no-]steer-haproxy goes with --pause-pooler");
        }
        FailoverDrill.PausePooler pause = pausePooler ? new FailoverDrill.PausePooler(pauseTimeout, PooledSwitchover.Steer.of(steerHaproxy)) : null;
        drill.execute(spec, FaultKind.SWITCHOVER, confirm.yes(), o -> pause == null ? o : o.pausingPooler(pause));
    }
}
