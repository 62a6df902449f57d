package io.connectha.cli.patroni;

import io.connectha.cli.DryRunOption;
import io.connectha.status.LeaderChangePlanner;
import io.connectha.cli.CommandContext;
import io.connectha.cli.Confirmation;
import io.connectha.cli.OutputOptions;
import io.connectha.cli.TimeoutOptions;
import io.connectha.cli.QuantityConverters;
import io.connectha.patroni.PatroniService;
import io.connectha.patroni.SwitchoverResult;
import io.connectha.render.PatroniView;
import io.connectha.render.Renderer;
import io.connectha.cli.YesOption;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "failover", mixinStandardHelpOptions = true,
        description = {"Promote a replica to leader, even when the leader is down.",
                "Promote a candidate, whether or not the leader is healthy (patronictl failover). The candidate must be",
                "streaming and within maximum_lag_on_failover. Waits until it is confirmed as leader, and says how long it took."})
public final class PatroniFailoverCommand implements Runnable {

    @Option(names = "--candidate", description = "The member to promote (default: the streaming replica with the least lag).")
    String candidate;

    @Option(names = "--wait", converter = QuantityConverters.PositiveTime.class, defaultValue = "60s", paramLabel = "TIME", description = "How long to wait for the new leader (default: ${DEFAULT-VALUE}).")
    java.time.Duration wait;

    @Mixin
    YesOption confirm;

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
        try (PatroniService patroni = PatroniServices.open(spec, timeouts)) {
            String[] plan = LeaderChangePlanner.plan(patroni, "failover", null, candidate);
            if (!dryRun.on()) {
                Confirmation.onTerminal(spec).require("fail over to " + plan[1] + (plan[0] == null ? "" : " (leader now: " + plan[0] + ")"), confirm.yes());
                CommandContext.progress(spec).info("Failing over to " + plan[1] + "...");
            }
            SwitchoverResult result = patroni.failover(plan[0], plan[1], dryRun.on(), wait);
            Renderer.print(spec.commandLine().getOut(), output.format(), result, out -> PatroniView.switchover(out, result));
        }
    }
}
