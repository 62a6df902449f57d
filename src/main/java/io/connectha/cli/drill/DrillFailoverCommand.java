package io.connectha.cli.drill;

import io.connectha.cli.ExitCodes;
import io.connectha.cli.YesOption;
import io.connectha.drill.FaultKind;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "failover",
        exitCodeList = {ExitCodes.LINE_OK, ExitCodes.LINE_FAILURE, ExitCodes.LINE_USAGE, ExitCodes.LINE_UNREACHABLE, ExitCodes.LINE_AUTHENTICATION_FAILED, ExitCodes.LINE_MISSING_PROGRAM, ExitCodes.LINE_INTERRUPTED},
        mixinStandardHelpOptions = true,
        description = {"Kill (or switch over) the leader under write load and measure, to the millisecond: detection, the new leader, "
                + "HAProxy's switch, the first write on the new leader (client RTO), every client's longest gap.",
                "Then prove that no acknowledged write was lost, that no two members took writes at once, and that the old leader "
                        + "streams again.",
                "Exit 0 when every threshold holds, 1 when one fails (in any run, with --repeat).",
                "Ctrl-C stops the load, starts what the fault stopped, waits for the cluster to be healthy and drops the drill table."})
public final class DrillFailoverCommand implements Runnable {

    @Option(names = "--fault", defaultValue = "postmaster-kill", paramLabel = "KIND",
            description = "postmaster-kill (default: kill -9 of the postmaster), patroni-kill (node loss: kill -9 of Patroni and its "
                    + "PostgreSQL), patroni-stop (graceful), pg-stop (pg_ctl stop -m fast), switchover (planned, through Patroni), "
                    + "etcd-leader-kill (kill -9 of etcd's raft leader; needs 3 etcd members).")
    String fault;

    @Mixin
    DrillOptions drill;

    @Mixin
    YesOption confirm;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        drill.execute(spec, FaultKind.of(fault), confirm.yes());
    }
}
