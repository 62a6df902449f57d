package io.connectha.cli.pgbouncer;

import io.connectha.cli.DryRunOption;
import io.connectha.cli.OutputOptions;
import io.connectha.cli.TimeoutOptions;
import io.connectha.pgbouncer.PgbouncerChange;
import io.connectha.render.PgbouncerView;
import io.connectha.render.Renderer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "reload", mixinStandardHelpOptions = true,
        description = {"RELOAD: PgBouncer rereads pgbouncer.ini and its userlist, without dropping connections."})
public final class PgbouncerReloadCommand implements Runnable {

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
        PgbouncerChange change = PgbouncerCommand.console(spec, timeouts).reload(dryRun.on());
        Renderer.print(spec.commandLine().getOut(), output.format(), change, out -> PgbouncerView.print(out, change));
    }
}
