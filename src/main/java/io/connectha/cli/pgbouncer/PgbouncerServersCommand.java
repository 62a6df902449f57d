package io.connectha.cli.pgbouncer;

import io.connectha.pgbouncer.PgbouncerShow;
import picocli.CommandLine.Command;

@Command(name = "servers", mixinStandardHelpOptions = true,
        description = {"SHOW SERVERS: every server connection PgBouncer holds, its state and the address it is connected to.",
                "Rows of the admin console's own pseudo-database (pgbouncer) are left out."})
public final class PgbouncerServersCommand extends PgbouncerShowCommand {

    @Override
    PgbouncerShow what() {
        return PgbouncerShow.SERVERS;
    }
}
