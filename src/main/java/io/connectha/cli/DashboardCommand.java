package io.connectha.cli;

import io.connectha.status.LeaderChangePlanner;
import io.connectha.cluster.LoadedCluster;
import io.connectha.cluster.ByteSize;
import io.connectha.cluster.SecretResolver;
import io.connectha.dashboard.DashboardActions;
import io.connectha.dashboard.DashboardModel;
import io.connectha.dashboard.TerminalDashboard;
import io.connectha.dashboard.ViewState;
import io.connectha.patroni.PatroniService;
import io.connectha.render.StatusView;
import io.connectha.status.ClusterStatus;
import io.connectha.status.StatusService;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;

@Command(name = "dashboard", mixinStandardHelpOptions = true,
        description = {"A live full-screen view of the cluster for operators.",
                "A live full-screen view for operators: members with lag trends, replication slots, HAProxy, PgBouncer,",
                "etcd, problems and recent events, refreshed in the background. Keys: q quit, ? help, space pause,",
                "tab next panel, + and - interval, s switchover, p pause/resume Patroni (both ask first).",
                "When stdout is not a terminal it prints the status once, as `connect ha status` does, with its exit codes."})
public final class DashboardCommand implements Runnable {

    @Mixin
    TimeoutOptions timeouts;

    @Option(names = "--interval", converter = QuantityConverters.PositiveTime.class, defaultValue = "1s", paramLabel = "TIME",
            description = "Refresh every TIME (default: ${DEFAULT-VALUE}); + and - change it on screen.")
    Duration interval;

    @Option(names = "--max-lag", converter = QuantityConverters.Size.class, paramLabel = "SIZE",
            description = "Lag critical above this, warning above a quarter of it (default: patroni.maximum_lag_on_failover).")
    ByteSize maxLag;

    @Option(names = "--no-color", description = "No colours (also when the NO_COLOR environment variable is set).")
    boolean noColor;

    @Option(names = "--wait", converter = QuantityConverters.PositiveTime.class, defaultValue = "60s", paramLabel = "TIME",
            description = "How long `s` waits for the new leader (default: ${DEFAULT-VALUE}).")
    Duration wait;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        Duration every = interval;
        Duration switchoverWait = wait;
        LoadedCluster cluster = CommandContext.loadCluster(spec);
        long maxLagBytes = maxLag != null ? maxLag.bytes() : cluster.spec().patroni().maximumLagOnFailover().bytes();
        SecretResolver secrets = new SecretResolver(cluster);
        // status judges lag against Patroni's live maximum_lag_on_failover unless --max-lag is given, as `status` does
        StatusService status = new StatusService(cluster, secrets,
                new StatusService.Options(timeouts.connect(), timeouts.read(), maxLag != null ? maxLag.bytes() : null));
        // a pipe or a file gets one plain status and no escape codes; System.console() is null unless stdin and stdout are a terminal
        if (System.console() == null) {
            ClusterStatus once = status.check();
            StatusView.print(spec.commandLine().getOut(), once);
            spec.commandLine().getOut().flush();
            StatusCommand.exitWith(once);
            return;
        }
        String noColorEnv = System.getenv("NO_COLOR");
        boolean color = !noColor && (noColorEnv == null || noColorEnv.isEmpty());
        // one session for the dashboard's life: refreshes reuse its connections instead of logging in anew each second
        try (PatroniService patroni = new PatroniService(cluster, secrets, timeouts.connect(), timeouts.read());
             StatusService.Session session = status.openSession();
             Terminal terminal = TerminalBuilder.builder().system(true).name("connect").build()) {
            DashboardModel model = new DashboardModel(DashboardModel.LagThresholds.fromMaximumLagOnFailover(maxLagBytes));
            new TerminalDashboard(terminal, session::check, actions(patroni, switchoverWait), model,
                    ViewState.initial(every, color && terminalHasColours(terminal)), Clock.systemUTC()).run();
        } catch (IOException e) {
            throw new UncheckedIOException("terminal: " + e.getMessage(), e);
        }
    }

    private static boolean terminalHasColours(Terminal terminal) {
        Integer colours = terminal.getNumericCapability(org.jline.utils.InfoCmp.Capability.max_colors);
        return colours != null && colours >= 8;
    }

    private static DashboardActions actions(PatroniService patroni, Duration wait) {
        return new DashboardActions() {
            @Override
            public SwitchoverPlan planSwitchover() {
                String[] plan = LeaderChangePlanner.plan(patroni, "switchover", null, null);
                return new SwitchoverPlan(plan[0], plan[1]);
            }

            @Override
            public Duration switchover(SwitchoverPlan plan) {
                return patroni.switchover(plan.leader(), plan.candidate(), null, false, wait).took();
            }

            @Override
            public void pausePatroni(boolean pause) {
                patroni.pause(pause);
            }
        };
    }
}
