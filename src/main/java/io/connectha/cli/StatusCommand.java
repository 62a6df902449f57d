package io.connectha.cli;

import io.connectha.cluster.LoadedCluster;
import io.connectha.cluster.ByteSize;
import io.connectha.cluster.SecretResolver;
import io.connectha.render.Renderer;
import io.connectha.render.StatusView;
import io.connectha.cluster.ClusterContexts;
import io.connectha.cluster.ClusterFileLoader;
import io.connectha.cluster.ContextStore;
import io.connectha.render.FleetStatusView;
import io.connectha.status.ClusterStatus;
import io.connectha.status.FleetStatus;
import io.connectha.status.FleetStatusService;
import io.connectha.status.StatusService;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;

@Command(name = "status",
        exitCodeList = {ExitCodes.LINE_OK, ExitCodes.LINE_FAILURE, ExitCodes.LINE_USAGE, ExitCodes.LINE_DEGRADED, ExitCodes.LINE_UNREACHABLE, ExitCodes.LINE_AUTHENTICATION_FAILED, ExitCodes.LINE_INTERRUPTED},
        mixinStandardHelpOptions = true,
        description = {"Show the cluster's health: every member and component, then the problems found.",
                "One view of the cluster: each member as Patroni and PostgreSQL itself see it (role, state, timeline,",
                "lag in bytes and time, streaming), then etcd, HAProxy, PgBouncer and replication slots, then the problems found.",
                "Every member and component is asked at once, each with its own connect and read timeout.",
                "Exit 0 when healthy; 4 when problems were found; 5 when a member or component did not answer;",
                "6 when one refused our credentials. With --all, the highest code of all the clusters (a cluster file that",
                "does not load counts 2, a cluster with no answer by the deadline 5)."})
public final class StatusCommand implements Runnable {

    @Mixin
    OutputOptions output;

    @Mixin
    TimeoutOptions timeouts;

    @Option(names = "--max-lag", converter = QuantityConverters.Size.class, paramLabel = "SIZE",
            description = "Replicas further behind are a problem (default: patroni.maximum_lag_on_failover).")
    ByteSize maxLag;

    /** Below this a refresh would only hammer the cluster: status itself takes up to connect + read timeout. */
    private static final Duration SHORTEST_WATCH = Duration.ofSeconds(1);

    @Option(names = "--watch", arity = "0..1", fallbackValue = "2", paramLabel = "TIME", converter = QuantityConverters.PositiveTime.class,
            description = "Refresh every TIME (a bare number is seconds; default 2, at least 1 s) until Ctrl-C.")
    Duration watch;

    @Option(names = "--all", description = {"Ask every context's cluster at once (see 'connect ha context') and print one line per cluster,",
            "all within one status deadline; exit with the worst code of all."})
    boolean all;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        if (all) {
            runAll();
            return;
        }
        LoadedCluster cluster = CommandContext.loadCluster(spec);
        long maxLagBytes = maxLag != null ? maxLag.bytes() : cluster.spec().patroni().maximumLagOnFailover().bytes();
        StatusService service = new StatusService(cluster, new SecretResolver(cluster),
                new StatusService.Options(timeouts.connect(), timeouts.read(), maxLagBytes));
        PrintWriter out = spec.commandLine().getOut();
        ClusterStatus status;
        do {
            status = service.check();
            if (watch != null && System.console() != null) {
                out.print("\033[H\033[2J");
            }
            ClusterStatus shown = status;
            Renderer.print(out, output.format(), shown, w -> StatusView.print(w, shown));
            if (watch != null) {
                sleep(watch.compareTo(SHORTEST_WATCH) < 0 ? SHORTEST_WATCH : watch);
                out.println();
            }
        } while (watch != null && !Thread.currentThread().isInterrupted());
        exitWith(status);
    }

    /** Status's exit codes, shared with the dashboard's one-shot mode: 0 healthy, 4 degraded, 5 unreachable, 6 refused. */
    static void exitWith(ClusterStatus status) {
        int code = exitCode(FleetStatus.Verdict.of(status));
        if (code != ExitCodes.OK) {
            throw new ExitException(code, null);
        }
    }

    /** A verdict's exit code; for {@code --all} the highest of the rows' is the command's. */
    static int exitCode(FleetStatus.Verdict verdict) {
        return switch (verdict) {
            case healthy -> ExitCodes.OK;
            case degraded -> ExitCodes.DEGRADED;
            case unreachable, timeout -> ExitCodes.UNREACHABLE;
            case auth_failed -> ExitCodes.AUTHENTICATION_FAILED;
            case cluster_file_invalid -> ExitCodes.USAGE;
            case failure -> ExitCodes.FAILURE;
        };
    }

    /** {@code --all}: every context's cluster, one row each, within one status deadline. */
    private void runAll() {
        GlobalOptions global = CommandContext.global(spec);
        if (global.clusterFile() != null || global.context() != null) {
            throw new ExitException(ExitCodes.USAGE, "--all asks every context's cluster; it takes neither -c nor --context");
        }
        ContextStore store = ContextStore.openDefault(System.getenv());
        ClusterContexts contexts = store.read();
        if (contexts.contexts().isEmpty()) {
            throw new ExitException(ExitCodes.USAGE, "--all asks every context's cluster, and there are no contexts in " + store.file()
                    + "; add one with 'connect ha context add NAME FILE'");
        }
        List<FleetStatusService.Target> targets = contexts.contexts().stream()
                .map(c -> new FleetStatusService.Target(c.name(), c.clusterFile(), c.name().equals(contexts.current()))).toList();
        ClusterFileLoader loader = CommandContext.clusterLoader();
        FleetStatusService service = new FleetStatusService(targets, loader::load, timeouts.connect(), timeouts.read(),
                maxLag == null ? null : maxLag.bytes());
        PrintWriter out = spec.commandLine().getOut();
        FleetStatus fleet;
        do {
            fleet = service.check();
            if (watch != null && System.console() != null) {
                out.print("\033[H\033[2J");
            }
            FleetStatus shown = fleet;
            Renderer.print(out, output.format(), shown, w -> FleetStatusView.print(w, shown));
            if (watch != null) {
                sleep(watch.compareTo(SHORTEST_WATCH) < 0 ? SHORTEST_WATCH : watch);
                out.println();
            }
        } while (watch != null && !Thread.currentThread().isInterrupted());
        int worst = fleet.clusters().stream().mapToInt(c -> exitCode(c.verdict())).max().orElse(ExitCodes.OK);
        if (worst != ExitCodes.OK) {
            throw new ExitException(worst, null);
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
