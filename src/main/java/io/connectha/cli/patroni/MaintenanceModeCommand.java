package io.connectha.cli.patroni;

import io.connectha.cli.DryRunOption;
import io.connectha.cli.TimeoutOptions;
import io.connectha.patroni.PatroniService;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;

/** pause and resume: maintenance mode on or off, saying so when it is already there. */
@picocli.CommandLine.Command
abstract class MaintenanceModeCommand implements Runnable {

    @Mixin
    DryRunOption dryRun;

    @Mixin
    TimeoutOptions timeouts;

    @Spec
    CommandSpec spec;

    /** True for pause, false for resume. */
    abstract boolean pause();

    @Override
    public void run() {
        PrintWriter out = spec.commandLine().getOut();
        try (PatroniService patroni = PatroniServices.open(spec, timeouts)) {
            boolean paused = patroni.cluster().isPaused();
            if (paused == pause()) {
                out.println("Patroni is already " + (paused ? "paused" : "running (not paused)") + "; nothing to do.");
                return;
            }
            if (dryRun.on()) {
                out.println("Would " + (pause() ? "pause" : "resume") + " Patroni (maintenance mode " + (pause() ? "on" : "off") + ").");
                return;
            }
            patroni.pause(pause());
            out.println(pause() ? "Paused: maintenance mode on; Patroni will not fail over." : "Resumed: Patroni manages the cluster again.");
        }
    }
}
