package io.connectha.cli.haproxy;

import io.connectha.cli.Confirmation;
import io.connectha.cli.DryRunOption;
import io.connectha.cli.OutputOptions;
import io.connectha.haproxy.HaproxyServerChange;
import io.connectha.haproxy.HaproxyServerControl;
import io.connectha.render.HaproxyView;
import io.connectha.render.Renderer;
import io.connectha.cli.YesOption;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "disable", mixinStandardHelpOptions = true,
        description = {"Take a member out of an HAProxy backend (maintenance).",
                "Put a server in maintenance (MAINT) in the write and/or read backend: `disable server BACKEND/SERVER` on",
                "HAProxy's admin socket, then `show stat` must say MAINT. New connections stop going to it; open ones stay.",
                "In the write backend this asks for confirmation unless --yes (refused, exit 2, when stdin is not a terminal).",
                "Already in maintenance: says so, exit 0. Needs read and write access to the admin socket (exit 1 otherwise)."})
public final class HaproxyDisableCommand implements Runnable {

    @Mixin
    HaproxyServerOptions target;

    @Mixin
    DryRunOption dryRun;

    @Mixin
    YesOption confirm;

    @Mixin
    OutputOptions output;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        HaproxyServerControl control = target.control(spec);
        HaproxyServerControl.Plan plan = control.plan(HaproxyServerControl.Action.disable, target.server, target.backends);
        if (!dryRun.on() && plan.touchesWrites()) {
            Confirmation.onTerminal(spec).require("Disabling " + plan.server() + " in the write backend "
                    + (plan.carriesWrites() ? "cuts every new connection through the write port: it is the server UP there"
                    : "leaves the write port without it should it become the leader"), confirm.yes());
        }
        HaproxyServerChange change = control.disable(plan, dryRun.on());
        Renderer.print(spec.commandLine().getOut(), output.format(), change, out -> HaproxyView.print(out, change));
    }
}
