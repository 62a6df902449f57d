package io.connectha.cli.pgbouncer;

import io.connectha.cli.DryRunOption;
import io.connectha.cli.OutputOptions;
import io.connectha.cli.TimeoutOptions;
import io.connectha.pgbouncer.ConsoleCommand;
import io.connectha.pgbouncer.PgbouncerChange;
import io.connectha.render.PgbouncerView;
import io.connectha.render.Renderer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "resume", mixinStandardHelpOptions = true,
        description = {"RESUME after pause: waiting queries go ahead. Not paused: says so, exit 0."})
public final class PgbouncerResumeCommand implements Runnable {

    @Parameters(arity = "0..1", paramLabel = "DB", description = "Resume only this database (default: all of PgBouncer).")
    String database;

    @Mixin
    DryRunOption dryRun;

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
        PgbouncerChange change = PgbouncerCommand.console(spec, timeouts).resume(database, dryRun.on());
        Renderer.print(spec.commandLine().getOut(), output.format(), change, out -> PgbouncerView.print(out, change));
    }
}
