package io.connectha.cli.patroni;

import picocli.CommandLine.Command;

@Command(name = "pause", mixinStandardHelpOptions = true,
        description = "Maintenance mode on: Patroni stops managing PostgreSQL (no failover, no restarts). Safe to run twice.")
public final class PatroniPauseCommand extends MaintenanceModeCommand {

    @Override
    boolean pause() {
        return true;
    }
}
