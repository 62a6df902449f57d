package io.connectha.cli.pgbouncer;

import io.connectha.pgbouncer.PgbouncerShow;
import picocli.CommandLine.Command;

@Command(name = "stats", mixinStandardHelpOptions = true,
        description = {"SHOW STATS: per database, transactions, queries, bytes and times (microseconds) since start, and averages.",
                "Rows of the admin console's own pseudo-database (pgbouncer) are left out."})
public final class PgbouncerStatsCommand extends PgbouncerShowCommand {

    @Override
    PgbouncerShow what() {
        return PgbouncerShow.STATS;
    }
}
