package io.connectha.cli.drill;

import io.connectha.cli.ExitCodes;
import io.connectha.cli.QuantityConverters;
import io.connectha.cli.YesOption;
import io.connectha.drill.FailoverDrill;
import io.connectha.drill.FaultKind;
import io.connectha.error.ConnectError;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.time.Duration;

@Command(name = "failover",
        exitCodeList = {ExitCodes.LINE_OK, ExitCodes.LINE_FAILURE, ExitCodes.LINE_USAGE, ExitCodes.LINE_UNREACHABLE, ExitCodes.LINE_AUTHENTICATION_FAILED, ExitCodes.LINE_MISSING_PROGRAM, ExitCodes.LINE_INTERRUPTED},
        mixinStandardHelpOptions = true,
        description = {"Kill (or switch over) the leader under write load and measure, to the millisecond: detection, the new leader, "
                + "HAProxy's switch, the first write on the new leader (client RTO), every client's longest gap.",
                "Then prove that no acknowledged write was lost, that no two members took writes at once, and that the old leader "
                        + "streams again.",
                "Held faults (partitions, freezes, an etcd outage) last until restored; for those on the leader, writers straight to "
                        + "the old leader measure how long it kept acknowledging writes, and how many of those survived.",
                "Exit 0 when every threshold holds, 1 when one fails (in any run, with --repeat).",
                "Ctrl-C stops the load, starts what the fault stopped, waits for the cluster to be healthy and drops the drill table."})
public final class DrillFailoverCommand implements Runnable {

    @Option(names = "--fault", defaultValue = "postmaster-kill", paramLabel = "KIND",
            description = "postmaster-kill (default: kill -9 of the postmaster), patroni-kill (node loss: kill -9 of Patroni and its "
                    + "PostgreSQL), patroni-stop (graceful), pg-stop (pg_ctl stop -m fast), switchover (planned, through Patroni), "
                    + "etcd-leader-kill (kill -9 of etcd's raft leader; needs 3 etcd members). Held: freeze-postgres, freeze-patroni "
                    + "(SIGSTOP of the leader's PostgreSQL or Patroni), dcs-outage (SIGSTOP of a majority of etcd members), "
                    + "partition-leader, partition-leader-dcs, partition-replica, partition-halves, partition-one-way, latency-leader (need a lab in "
                    + "network namespaces or a drill_fault_command).")
    String fault;

    @Option(names = "--fault-for", converter = QuantityConverters.PositiveTime.class, paramLabel = "TIME",
            description = "How long a held fault lasts before it is restored (default: until the leader is settled, at least "
                    + "Patroni's ttl + loop_wait, at most --max-rto + 30 s).")
    Duration faultFor;

    @Option(names = "--seed", paramLabel = "N",
            description = "Seed of partition-halves' random halves (default: a random one, printed and in the report).")
    Long seed;

    @Option(names = "--leader-side-clients", defaultValue = "" + FailoverDrill.DEFAULT_LEADER_SIDE_CLIENTS, paramLabel = "N",
            description = "For held faults on the leader: writers connected straight to the old leader's PostgreSQL, on its side of "
                    + "a partition (default: ${DEFAULT-VALUE}).")
    int leaderSideClients;

    @Mixin
    DrillOptions drill;

    @Mixin
    YesOption confirm;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        FaultKind kind = FaultKind.of(fault);
        if (faultFor != null && !kind.held()) {
            throw ConnectError.invalidInput("--fault-for holds a partition, a freeze or an etcd outage; " + kind.option()
                    + " is done once applied");
        }
        if (leaderSideClients < 0) {
            throw ConnectError.invalidInput("--leader-side-clients must be at least 0");
        }
        boolean lossBounded = spec.commandLine().getParseResult().hasMatchedOption("--max-lost-writes");
        drill.execute(spec, kind, confirm.yes(), o -> o.held(seed, faultFor, leaderSideClients, lossBounded));
    }
}
