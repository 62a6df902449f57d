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


@Command(name = "switchover", mixinStandardHelpOptions = true,
        description = {"Hand the leader role to a replica, as planned maintenance.",
                "Planned change of leader. The candidate must be streaming (per pg_stat_replication on the leader) and",
                "within maximum_lag_on_failover. Waits until the new leader is confirmed by Patroni and by PostgreSQL, and says how long it took."})
public final class PatroniSwitchoverCommand implements Runnable {

    @Option(names = "--leader", description = "The current leader, as a safety check (default: whoever it is).")
    String leader;

    @Option(names = "--candidate", description = "The member to promote (default: the streaming replica with the least lag).")
    String candidate;

    @Option(names = "--scheduled", paramLabel = "TIME", description = "When, in ISO 8601 with an offset, e.g. 2026-11-24T03:00+00:00. Patroni does it then.")
    String scheduled;

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
        ScheduledTime.check(scheduled);
        try (PatroniService patroni = PatroniServices.open(spec, timeouts)) {
            String[] plan = LeaderChangePlanner.plan(patroni, "switchover", leader, candidate);
            if (!dryRun.on()) {
                Confirmation.onTerminal(spec).require("switch over from " + plan[0] + " to " + plan[1] + (scheduled == null ? " now" : " at " + scheduled), confirm.yes());
                if (scheduled == null) {
                    CommandContext.progress(spec).info("Switching over from " + plan[0] + " to " + plan[1] + "...");
                }
            }
            SwitchoverResult result = patroni.switchover(plan[0], plan[1], scheduled, dryRun.on(), wait);
            Renderer.print(spec.commandLine().getOut(), output.format(), result, out -> PatroniView.switchover(out, result));
        }
    }
}
