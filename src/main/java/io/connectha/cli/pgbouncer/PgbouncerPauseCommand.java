package io.connectha.cli.pgbouncer;

import io.connectha.cli.DryRunOption;
import io.connectha.cli.Confirmation;
import io.connectha.cli.OutputOptions;
import io.connectha.cli.QuantityConverters;
import io.connectha.cli.TimeoutOptions;
import io.connectha.pgbouncer.ConsoleCommand;
import io.connectha.pgbouncer.PgbouncerChange;
import io.connectha.render.PgbouncerView;
import io.connectha.render.Renderer;
import io.connectha.cli.YesOption;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.time.Duration;

@Command(name = "pause", mixinStandardHelpOptions = true,
        description = {"Pause PgBouncer: hold new queries until resume.",
                "PAUSE: PgBouncer lets running transactions finish, closes its server connections, and holds every new",
                "query (clients wait, cl_waiting) until resume. For a switchover or a restart of what is behind it.",
                "Asks for confirmation unless --yes; refused (exit 2) without --yes when stdin is not a terminal.",
                "Already paused: says so, exit 0."})
public final class PgbouncerPauseCommand implements Runnable {

    @Parameters(arity = "0..1", paramLabel = "DB", description = "Pause only this database (default: all of PgBouncer).")
    String database;

    @Option(names = "--wait", converter = QuantityConverters.PositiveTime.class, defaultValue = "30s", paramLabel = "TIME",
            description = "How long to let running transactions finish before giving up (default: ${DEFAULT-VALUE}). "
                    + "PgBouncer stays pausing after that, until resume.")
    Duration wait;

    @Mixin
    DryRunOption dryRun;

    @Mixin
    YesOption confirm;

    @Mixin
    OutputOptions output;

    @Mixin
    TimeoutOptions timeouts;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        if (database != null) {
            ConsoleCommand.requireDatabaseName(database);
        }
        Duration waitFor = wait;
        if (!dryRun.on()) {
            Confirmation.onTerminal(spec).require("Pausing " + (database == null ? "PgBouncer" : "database " + database + " on PgBouncer")
                    + " holds every new query until `connect ha pgbouncer resume`", confirm.yes());
        }
        PgbouncerChange change = PgbouncerCommand.console(spec, timeouts).pause(database, waitFor, dryRun.on());
        Renderer.print(spec.commandLine().getOut(), output.format(), change, out -> PgbouncerView.print(out, change));
    }
}
