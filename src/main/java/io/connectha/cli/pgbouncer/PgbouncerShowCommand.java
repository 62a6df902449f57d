package io.connectha.cli.pgbouncer;

import io.connectha.cli.OutputOptions;
import io.connectha.cli.TimeoutOptions;
import io.connectha.pgbouncer.PgbouncerListing;
import io.connectha.pgbouncer.PgbouncerShow;
import io.connectha.render.PgbouncerView;
import io.connectha.render.Renderer;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** A SHOW command shown by the columns PgBouncer returns: they differ between PgBouncer versions. */
abstract class PgbouncerShowCommand implements Runnable {

    @Mixin
    OutputOptions output;

    @Mixin
    TimeoutOptions timeouts;

    @Spec
    CommandSpec spec;

    abstract PgbouncerShow what();

    @Override
    public void run() {
        PgbouncerListing listing = PgbouncerCommand.console(spec, timeouts).show(what());
        Renderer.print(spec.commandLine().getOut(), output.format(), listing, out -> PgbouncerView.print(out, listing));
    }
}
