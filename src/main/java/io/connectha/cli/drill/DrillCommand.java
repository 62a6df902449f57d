package io.connectha.cli.drill;

import io.connectha.cli.GroupCommand;
import picocli.CommandLine.Command;

@Command(name = "drill", mixinStandardHelpOptions = true,
        description = {"Timed drills under load, for CI: failover (six faults), switchover, rejoin (pg_rewind), split-brain and chaos (a campaign of random faults with a set checker); RTO in "
                + "milliseconds, lost acknowledged writes (RPO in rows and bytes), a JSON and a JUnit report.",
                "Run only against a cluster file that allows drills (drills: allowed, which the lab sets), or with --yes.",
                "Ctrl-C stops the load and puts back what the drill stopped."},
        subcommands = {DrillFailoverCommand.class, DrillSwitchoverCommand.class, DrillRejoinCommand.class,
                DrillSplitBrainCommand.class, DrillChaosCommand.class})
public final class DrillCommand extends GroupCommand {
}
