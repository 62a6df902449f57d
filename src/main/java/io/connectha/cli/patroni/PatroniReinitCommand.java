package io.connectha.cli.patroni;

import io.connectha.cli.DryRunOption;
import io.connectha.cli.Confirmation;
import io.connectha.cli.OutputOptions;
import io.connectha.cli.TimeoutOptions;
import io.connectha.render.PatroniView;
import io.connectha.render.Renderer;
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
    OutputOptions output;

    @Mixin
    TimeoutOptions timeouts;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        try (PatroniService patroni = PatroniServices.open(spec, timeouts)) {
            patroni.replicaToReinitialize(member);
            if (!dryRun.on()) {
                Confirmation.onTerminal(spec).require("delete the data of " + member + " and clone it again from the leader", confirm.yes());
            }
            PatroniService.ReinitResult result = patroni.reinitialize(member, force, dryRun.on());
            Renderer.print(spec.commandLine().getOut(), output.format(), result, out -> PatroniView.reinit(out, result));
        }
    }
}
