package io.connectha.cli.patroni;

import io.connectha.cli.DryRunOption;
import io.connectha.cli.Confirmation;
import io.connectha.cli.TimeoutOptions;
import io.connectha.patroni.PatroniService;
import io.connectha.cli.YesOption;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "reinit", mixinStandardHelpOptions = true,
        description = "Throw a replica's data away and clone it again from the leader (patronictl reinit). Destructive.")
public final class PatroniReinitCommand implements Runnable {

    @Parameters(paramLabel = "MEMBER", description = "The replica to rebuild.")
    String member;

    @Option(names = "--force", description = "Even if a reinit or other task is in progress.")
    boolean force;

    @Mixin
    YesOption confirm;

    @Mixin
    DryRunOption dryRun;

    @Mixin
    TimeoutOptions timeouts;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        try (PatroniService patroni = PatroniServices.open(spec, timeouts)) {
            patroni.replicaToReinitialize(member);
            if (dryRun.on()) {
                spec.commandLine().getOut().println("Would delete the data of " + member + " and clone it again from the leader.");
                return;
            }
            Confirmation.onTerminal(spec).require("delete the data of " + member + " and clone it again from the leader", confirm.yes());
            spec.commandLine().getOut().println(member + ": " + patroni.reinitialize(member, force));
        }
    }
}
