package io.connectha.cli.drill;

import io.connectha.cli.GroupCommand;
import picocli.CommandLine.Command;

@Command(name = "drill", mixinStandardHelpOptions = true,
        description = {"Timed failover drills under load, for CI: RTO in milliseconds, lost acknowledged writes, a JSON and a JUnit report.",
                "Run only against a cluster file that allows drills (drills: allowed, which the lab sets), or with --yes."},
        subcommands = {DrillFailoverCommand.class, DrillSwitchoverCommand.class, DrillRejoinCommand.class,
                DrillSplitBrainCommand.class})
public final class DrillCommand extends GroupCommand {
}
