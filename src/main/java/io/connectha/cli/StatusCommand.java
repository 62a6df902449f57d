package io.connectha.cli;

import io.connectha.cluster.LoadedCluster;
import io.connectha.cluster.ByteSize;
import io.connectha.cluster.SecretResolver;
import io.connectha.render.Renderer;
import io.connectha.render.StatusView;
import io.connectha.status.ClusterStatus;
import io.connectha.status.StatusService;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.time.Duration;

@Command(name = "status",
        exitCodeList = {ExitCodes.LINE_OK, ExitCodes.LINE_FAILURE, ExitCodes.LINE_USAGE, ExitCodes.LINE_DEGRADED, ExitCodes.LINE_UNREACHABLE, ExitCodes.LINE_AUTHENTICATION_FAILED, ExitCodes.LINE_INTERRUPTED},
        mixinStandardHelpOptions = true,
        description = {"Show the cluster's health: every member and component, then the problems found.",
                "One view of the cluster: each member as Patroni and PostgreSQL itself see it (role, state, timeline,",
                "lag in bytes and time, streaming), then etcd, HAProxy, PgBouncer and replication slots, then the problems found.",
                "Every member and component is asked at once, each with its own connect and read timeout.",
                "Exit 0 when healthy; 4 when problems were found; 5 when a member or component did not answer;",
                "6 when one refused our credentials."})
public final class StatusCommand implements Runnable {

    @Mixin
    OutputOptions output;

    @Mixin
    TimeoutOptions timeouts;

    @Option(names = "--max-lag", converter = QuantityConverters.Size.class, paramLabel = "SIZE",
            description = "Replicas further behind are a problem (default: maximum_lag_on_failover as the cluster runs it, "
                    + "from Patroni's live configuration; the cluster file's when that cannot be read).")
    ByteSize maxLag;

    /** Below this a refresh would only hammer the cluster: status itself takes up to connect + read timeout. */
    private static final Duration SHORTEST_WATCH = Duration.ofSeconds(1);

    @Option(names = "--watch", arity = "0..1", fallbackValue = "2", paramLabel = "TIME", converter = QuantityConverters.PositiveTime.class,
            description = "Refresh every TIME (a bare number is seconds; default 2, at least 1 s) until Ctrl-C.")
    Duration watch;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        LoadedCluster cluster = CommandContext.loadCluster(spec);
        Long maxLagBytes = maxLag != null ? Long.valueOf(maxLag.bytes()) : null;
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
        int code = status.healthy() ? ExitCodes.OK
                : status.anyAuthenticationFailed() ? ExitCodes.AUTHENTICATION_FAILED
                : status.anyUnreachable() ? ExitCodes.UNREACHABLE : ExitCodes.DEGRADED;
        if (code != ExitCodes.OK) {
            throw new ExitException(code, null);
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
