package io.connectha.cli.patroni;

import io.connectha.cli.TimeoutOptions;
import io.connectha.patroni.PatroniService;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "pause", mixinStandardHelpOptions = true,
        description = "Maintenance mode on: Patroni stops managing PostgreSQL (no failover, no restarts). Safe to run twice.")
public final class PatroniPauseCommand implements Runnable {

    @Option(names = "--dry-run", description = "Say what would change; change nothing.")
    boolean dryRun;

    @Mixin
    TimeoutOptions timeouts;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        try (PatroniService patroni = PatroniServices.open(spec, timeouts)) {
            boolean paused = patroni.cluster().isPaused();
            if (paused == true) {
                spec.commandLine().getOut().println("Patroni is already " + (paused ? "paused" : "running (not paused)") + "; nothing to do.");
                return;
            }
            if (dryRun) {
                spec.commandLine().getOut().println("Would pause Patroni (maintenance mode " + (true ? "on" : "off") + ").");
                return;
            }
            patroni.pause(true);
            spec.commandLine().getOut().println(true ? "Paused: maintenance mode on; Patroni will not fail over." : "Resumed: Patroni manages the cluster again.");
        }
    }
}
