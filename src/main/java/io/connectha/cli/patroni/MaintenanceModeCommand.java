package io.connectha.cli.patroni;

import io.connectha.cli.DryRunOption;
import io.connectha.cli.OutputOptions;
import io.connectha.cli.TimeoutOptions;
import io.connectha.render.PatroniView;
import io.connectha.render.Renderer;
import io.connectha.patroni.PatroniService;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** pause and resume: maintenance mode on or off, saying so when it is already there. */
@picocli.CommandLine.Command
abstract class MaintenanceModeCommand implements Runnable {

    @Mixin
    DryRunOption dryRun;

    @Mixin
    OutputOptions output;

    @Mixin
    TimeoutOptions timeouts;

    @Spec
    CommandSpec spec;

    /** True for pause, false for resume. */
    abstract boolean pause();

    @Override
    public void run() {
        try (PatroniService patroni = PatroniServices.open(spec, timeouts)) {
            PatroniService.MaintenanceResult result = patroni.maintenance(pause(), dryRun.on());
            Renderer.print(spec.commandLine().getOut(), output.format(), result, out -> PatroniView.maintenance(out, result));
        }
    }
}
