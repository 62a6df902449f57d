package io.connectha.cli.haproxy;

import io.connectha.cli.OutputOptions;
import io.connectha.cli.DryRunOption;
import io.connectha.cli.QuantityConverters;
import io.connectha.haproxy.HaproxyServerChange;
import io.connectha.haproxy.HaproxyServerControl;
import io.connectha.render.HaproxyView;
import io.connectha.render.Renderer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.time.Duration;

@Command(name = "enable", mixinStandardHelpOptions = true,
        description = {"Take a server out of maintenance in the write and/or read backend, through HAProxy's admin socket.",
                "It leaves maintenance into DRAIN (no new connections) until its health check has decided, then is made",
                "ready: `enable server` would count it UP before its first check, and route writes to a replica meanwhile.",
                "`show stat` must then say it is out of MAINT. Already enabled: says so, exit 0."})
public final class HaproxyEnableCommand implements Runnable {

    @Mixin
    HaproxyServerOptions target;

    @Mixin
    DryRunOption dryRun;

    @Option(names = "--wait", converter = QuantityConverters.PositiveTime.class, defaultValue = "10s", paramLabel = "TIME",
            description = "How long to wait for the server's health check (default: ${DEFAULT-VALUE}); after that it stays in DRAIN.")
    Duration wait;

    @Mixin
    OutputOptions output;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        HaproxyServerControl control = target.control(spec);
        HaproxyServerControl.Plan plan = control.plan(HaproxyServerControl.Action.enable, target.server, target.backends);
        HaproxyServerChange change = control.enable(plan, dryRun.on(), wait);
        Renderer.print(spec.commandLine().getOut(), output.format(), change, out -> HaproxyView.print(out, change));
    }
}
