package io.connectha.cli;

import io.connectha.cluster.LoadedCluster;
import io.connectha.cluster.SecretResolver;
import io.connectha.monitor.ClientProbe;
import io.connectha.monitor.Event;
import io.connectha.monitor.Monitor;
import io.connectha.monitor.MonitorServer;
import io.connectha.monitor.MonitorSnapshot;
import io.connectha.render.MonitorMetrics;
import io.connectha.render.MonitorView;
import io.connectha.render.Renderer;
import io.connectha.cluster.ByteSize;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.function.Function;
import java.util.function.Supplier;

@Command(name = "monitor", mixinStandardHelpOptions = true,
        exitCodeList = {"  0:OK: stopped by SIGTERM or SIGINT (Ctrl-C), cleanly.", ExitCodes.LINE_FAILURE, ExitCodes.LINE_USAGE},
        description = {"A resident observer: Prometheus metrics, the client's-eye availability probe, and events as they happen.",
                "Keeps its sessions (one connection per member, keep-alive HTTP to each Patroni) and gathers the cluster's state",
                "every --interval, as 'connect ha status' does; watches Patroni's leader key in etcd, so a leader change is told",
                "within milliseconds. Serves GET /metrics (Prometheus text), /status (status -o json), /healthz and / (a text view).",
                "A scrape reads the last gathered state: it never logs in or waits on a component, whatever is down.",
                "The probe writes a heartbeat through the application's write path (HAProxy's write port, or PgBouncer) and reads it",
                "through the read port every --probe-interval, in a schema of its own (connect_probe) that it creates at start and",
                "removes at stop, and keeps availability in windows (1h, 1d, the monitor's life) against --slo.",
                "Events go to stdout as JSON lines (or --events-file, appended) and to --on-event. Logs go to stderr.",
                "SIGTERM and SIGINT stop it within 2 s. See docs/monitor.md."})
public final class MonitorCommand implements Runnable {

    @Mixin
    TimeoutOptions timeouts;

    @Option(names = "--listen", converter = ListenConverter.class, defaultValue = "127.0.0.1:9187", paramLabel = "HOST:PORT",
            description = "Where to serve /metrics, /status, /healthz and / (default: ${DEFAULT-VALUE}; ':PORT' for every address).")
    InetSocketAddress listen;

    @Option(names = "--interval", converter = QuantityConverters.PositiveTime.class, defaultValue = "1s", paramLabel = "TIME",
            description = "Gather the cluster's state every TIME (default: ${DEFAULT-VALUE}).")
    Duration interval;

    @Option(names = "--probe-interval", converter = QuantityConverters.PositiveTime.class, defaultValue = "100ms", paramLabel = "TIME",
            description = "Probe the write and read paths every TIME (default: ${DEFAULT-VALUE}).")
    Duration probeInterval;

    @Option(names = "--probe-via", defaultValue = "haproxy", paramLabel = "PATH",
            description = "The application's write path the probe uses: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    ClientProbe.Via probeVia;

    @Option(names = "--probe-timeout", converter = QuantityConverters.PositiveTime.class, defaultValue = "1s", paramLabel = "TIME",
            description = "A probe request that takes longer fails (default: ${DEFAULT-VALUE}).")
    Duration probeTimeout;

    @Option(names = "--probe-id", paramLabel = "NAME",
            description = "This monitor's row in connect_probe.heartbeat, when several monitors watch one cluster (default: the host name).")
    String probeId;

    @Option(names = "--no-probe", description = "No client's-eye probe (nothing is written to the cluster).")
    boolean noProbe;

    @Option(names = "--slo", defaultValue = "99.9", paramLabel = "PERCENT",
            description = "The availability objective, in percent, for the error budget (default: ${DEFAULT-VALUE}).")
    double slo;

    @Option(names = "--max-lag", converter = QuantityConverters.Size.class, paramLabel = "SIZE",
            description = "lag_over above this (default: maximum_lag_on_failover as the cluster runs it, as 'status').")
    ByteSize maxLag;

    @Option(names = "--events-file", paramLabel = "PATH", description = "Append the event lines to PATH (made 0640) instead of stdout.")
    Path eventsFile;

    @Option(names = "--on-event", paramLabel = "COMMAND",
            description = {"Run 'sh -c COMMAND' for each event: its JSON on stdin, and CONNECT_EVENT_TYPE, CONNECT_EVENT_CLUSTER,",
                    "CONNECT_EVENT_MEMBER, CONNECT_EVENT_TS (ms since the epoch), CONNECT_EVENT_MESSAGE and CONNECT_EVENT_JSON in its",
                    "environment. One at a time; a command that fails or outlives --on-event-timeout is logged (and killed)."})
    String onEvent;

    @Option(names = "--on-event-timeout", converter = QuantityConverters.PositiveTime.class, defaultValue = "10s", paramLabel = "TIME",
            description = "Kill an --on-event command after TIME (default: ${DEFAULT-VALUE}).")
    Duration onEventTimeout;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "json",
            description = "How events are written: json (one JSON line each) or table (one line for people) (default: ${DEFAULT-VALUE}).")
    EventFormat format;

    /** The event lines' format: JSON lines for scripts, one readable line each for people. */
    public enum EventFormat { json, table }

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        if (!(slo > 0 && slo < 100)) {
            throw new ExitException(ExitCodes.USAGE, "--slo " + slo + ": the objective is a percentage above 0 and below 100, such as 99.9");
        }
        if (onEvent != null && onEvent.isBlank()) {
            throw new ExitException(ExitCodes.USAGE, "--on-event: the command is empty");
        }
        LoadedCluster cluster = CommandContext.loadCluster(spec);
        SecretResolver secrets = new SecretResolver(cluster);
        ClientProbe.Options probe = noProbe ? null
                : new ClientProbe.Options(probeVia, probeInterval, probeTimeout, slo, probeId != null ? probeId : hostName());
        Monitor.Options options = new Monitor.Options(interval, timeouts.connect(), timeouts.read(), maxLag == null ? null : maxLag.bytes(),
                slo, probe, eventsFile, onEvent, onEventTimeout);
        Function<Event, String> line = format == EventFormat.json ? MonitorView::eventJson : MonitorView::eventLine;
        CountDownLatch stop = new CountDownLatch(1);
        // handled rather than left to the JVM's shutdown: the monitor stops in order and the exit code is 0
        Signals.onTermOrInt(stop::countDown);
        try (Monitor monitor = new Monitor(cluster, secrets, options, line, spec.commandLine().getOut(), Clock.systemUTC())) {
            String name = monitor.cluster();
            Map<String, Supplier<MonitorServer.Page>> routes = new LinkedHashMap<>();
            routes.put("/metrics", () -> new MonitorServer.Page(200, "text/plain; version=0.0.4; charset=utf-8",
                    MonitorMetrics.render(monitor.snapshot(), name)));
            routes.put("/status", () -> {
                MonitorSnapshot s = monitor.snapshot();
                return s.round() == null ? new MonitorServer.Page(503, "application/json", "{\"error\":\"no round has finished yet\"}\n")
                        : new MonitorServer.Page(200, "application/json", MonitorView.statusJson(s.round().status()));
            });
            routes.put("/healthz", () -> monitor.snapshot().healthy() ? new MonitorServer.Page(200, "text/plain; charset=utf-8", "ok\n")
                    : new MonitorServer.Page(503, "text/plain; charset=utf-8", "the gather loop is overdue or stopped\n"));
            routes.put("/", () -> new MonitorServer.Page(200, "text/plain; charset=utf-8", MonitorView.text(monitor.snapshot())));
            try (MonitorServer server = new MonitorServer(listen, routes)) {
                monitor.start();
                server.start();
                org.slf4j.LoggerFactory.getLogger(MonitorCommand.class).info("monitoring {} on http://{}:{}/metrics", name,
                        listen.getHostString(), server.port());
                stop.await();
                org.slf4j.LoggerFactory.getLogger(MonitorCommand.class).info("stopping");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String hostName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            return "connect-monitor";
        }
    }
}
