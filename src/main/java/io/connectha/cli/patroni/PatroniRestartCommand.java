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

@Command(name = "restart", mixinStandardHelpOptions = true,
        description = "Restart PostgreSQL on a member through its Patroni (patronictl restart). A leader's restart interrupts writes.")
public final class PatroniRestartCommand implements Runnable {

    @Parameters(paramLabel = "MEMBER", description = "The member to restart.")
    String member;

    @Option(names = "--pending", description = "Only if a restart is pending (a changed setting needs it).")
    boolean pending;

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
            patroni.member(member);
            if (!dryRun.on()) {
                Confirmation.onTerminal(spec).require("restart PostgreSQL on " + member, confirm.yes());
            }
            PatroniService.RestartResult result = patroni.restart(member, pending, dryRun.on());
            Renderer.print(spec.commandLine().getOut(), output.format(), result, out -> PatroniView.restart(out, result));
        }
    }
}
