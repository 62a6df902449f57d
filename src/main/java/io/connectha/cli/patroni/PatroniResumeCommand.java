package io.connectha.cli.patroni;

import picocli.CommandLine.Command;

@Command(name = "resume", mixinStandardHelpOptions = true,
        description = "Maintenance mode off: Patroni manages PostgreSQL again. Safe to run twice.")
public final class PatroniResumeCommand extends MaintenanceModeCommand {

    @Override
    boolean pause() {
        return false;
    }
}
