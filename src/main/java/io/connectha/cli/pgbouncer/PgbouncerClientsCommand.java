package io.connectha.cli.pgbouncer;

import io.connectha.pgbouncer.PgbouncerShow;
import picocli.CommandLine.Command;

@Command(name = "clients", mixinStandardHelpOptions = true,
        description = {"SHOW CLIENTS: every client connection, its state (active, waiting, idle), address and wait time.",
                "Rows of the admin console's own pseudo-database (pgbouncer) are left out."})
public final class PgbouncerClientsCommand extends PgbouncerShowCommand {

    @Override
    PgbouncerShow what() {
        return PgbouncerShow.CLIENTS;
    }
}
