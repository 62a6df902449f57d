package io.connectha.cli.pgbouncer;

import io.connectha.cli.OutputOptions;
import io.connectha.cli.TimeoutOptions;
import io.connectha.pgbouncer.PgbouncerPools;
import io.connectha.render.PgbouncerView;
import io.connectha.render.Renderer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "pools", mixinStandardHelpOptions = true,
        description = {"Show PgBouncer's pools: clients and server connections per database and user.",
                "SHOW POOLS: per database and user, clients active and waiting, server connections active, idle and used,",
                "the longest wait, and the pool mode."})
public final class PgbouncerPoolsCommand implements Runnable {

    @Mixin
    OutputOptions output;

    @Mixin
    TimeoutOptions timeouts;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        PgbouncerPools pools = PgbouncerCommand.console(spec, timeouts).pools();
        Renderer.print(spec.commandLine().getOut(), output.format(), pools, out -> PgbouncerView.print(out, pools));
    }
}
