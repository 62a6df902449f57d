package io.connectha.cli.replication;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "replication", mixinStandardHelpOptions = true,
        description = "Plain streaming replication without Patroni: set up a primary, clone and start a standby, "
                + "verify, show, promote and rejoin.",
        subcommands = {ReplicationSetupCommand.class, ReplicationCloneCommand.class, ReplicationStatusCommand.class,
                ReplicationVerifyCommand.class, ReplicationPromoteCommand.class, ReplicationRejoinCommand.class})
public final class ReplicationCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
