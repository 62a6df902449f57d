package io.connectha.cli.patroni;

import io.connectha.cli.CommandContext;
import io.connectha.cli.Confirmation;
import io.connectha.cli.DryRunOption;
import io.connectha.cli.ExitException;
import io.connectha.cli.OutputOptions;
import io.connectha.cli.QuantityConverters;
import io.connectha.cli.TimeoutOptions;
import io.connectha.cli.YesOption;
import io.connectha.patroni.PatroniService;
import io.connectha.patroni.RollingRestart;
import io.connectha.render.PatroniMemberView;
import io.connectha.render.Renderer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

@Command(name = "restart", mixinStandardHelpOptions = true,
        description = {"Restart PostgreSQL through Patroni (patronictl restart), member by member.",
                "Replicas go first and the leader last (first when the restart lowers max_connections or another setting a",
                "replica may not run below its primary); each member is waited for until it is back (a replica streaming",
                "again per the leader's pg_stat_replication, the leader accepting writes) before the next is touched.",
                "A failure stops the round. A leader's restart interrupts writes for a few seconds; Patroni keeps it leader.",
                "With --scheduled, Patroni restarts each member at that time, and nothing is waited for."})
public final class PatroniRestartCommand implements Runnable {

    @Parameters(paramLabel = "MEMBER", arity = "0..*", description = "The members to restart (default: every member the --role admits).")
    List<String> members = List.of();

    @Option(names = "--pending", description = "Only members with a restart pending (a changed setting needs it). Safe to run twice.")
    boolean pending;

    @Mixin
    RoleOption roles;

    @Option(names = "--scheduled", paramLabel = "TIME",
            description = "Have Patroni restart each member then, ISO 8601 with an offset (e.g. 2026-11-24T03:00+00:00). With --pending, Patroni checks then.")
    String scheduled;

    @Option(names = "--wait", converter = QuantityConverters.PositiveTime.class, defaultValue = "120s", paramLabel = "TIME",
            description = "How long each member may take to be back (default: ${DEFAULT-VALUE}).")
    Duration wait;

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
            RollingRestart restart = new RollingRestart(patroni, CommandContext.progress(spec));
            RollingRestart.Request request = new RollingRestart.Request(members, roles.role(), pending, scheduled, wait, dryRun.on());
            if (!dryRun.on()) {
                List<RollingRestart.MemberRestart> plan = restart.plan(request).members().stream()
                        .filter(m -> m.action() != RollingRestart.Action.skipped).toList();
                if (!plan.isEmpty()) {
                    Confirmation.onTerminal(spec).require((scheduled == null ? "restart PostgreSQL on " : "schedule a restart at " + scheduled + " of ")
                            + plan.stream().map(m -> m.member() + " (" + m.role() + ")").collect(Collectors.joining(", ")), confirm.yes());
                }
            }
            RollingRestart.Result result = restart.run(request);
            Renderer.print(spec.commandLine().getOut(), output.format(), result, out -> PatroniMemberView.restart(out, result));
            if (!result.complete()) {
                throw new ExitException(1, null);
            }
        }
    }
}
