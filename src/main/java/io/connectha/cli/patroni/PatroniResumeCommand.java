package io.connectha.cli.patroni;

import io.connectha.cli.TimeoutOptions;
import io.connectha.patroni.PatroniService;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "resume", mixinStandardHelpOptions = true,
        description = "Maintenance mode off: Patroni manages PostgreSQL again. Safe to run twice.")
public final class PatroniResumeCommand implements Runnable {

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
            if (paused == false) {
                spec.commandLine().getOut().println("Patroni is already " + (paused ? "paused" : "running (not paused)") + "; nothing to do.");
                return;
            }
            if (dryRun) {
                spec.commandLine().getOut().println("Would resume Patroni (maintenance mode " + (false ? "on" : "off") + ").");
                return;
            }
            patroni.pause(false);
            spec.commandLine().getOut().println(false ? "Paused: maintenance mode on; Patroni will not fail over." : "Resumed: Patroni manages the cluster again.");
        }
    }
}
