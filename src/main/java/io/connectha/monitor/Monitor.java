package io.connectha.monitor;

import io.connectha.check.CheckState;
import io.connectha.check.ItemsCheck;
import io.connectha.cluster.LoadedCluster;
import io.connectha.cluster.SecretResolver;
import io.connectha.etcd.EtcdGateway;
import io.connectha.etcd.LeaderKeyWatch;
import io.connectha.net.Http;
import io.connectha.patroni.PatroniKeys;
import io.connectha.status.ClusterStatus;
import io.connectha.status.MemberStatus;
import io.connectha.status.StatusService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The resident observer: one status session kept open (its connections to each member, keep-alive HTTP
 * to each Patroni), gathered every interval on a thread of its own; Patroni's leader key watched in etcd;
 * the client's-eye probe; and events for what changed. {@link #snapshot} only reads what was gathered, so
 * a scrape costs no I/O and never waits on a dead or frozen component: their figures age instead.
 */
public final class Monitor implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Monitor.class);
    /** Where HAProxy's and PgBouncer's paths land is asked again at least this often, and at once when HAProxy's servers change. */
    static final Duration ROUTES_MAX_AGE = Duration.ofSeconds(30);

    /**
     * @param probe       null: no probe ({@code --no-probe})
     * @param maxLagBytes lag over this is {@code lag_over}; null: as {@code status} (maximum_lag_on_failover as the cluster runs it)
     */
    public record Options(Duration interval, Duration connectTimeout, Duration readTimeout, Long maxLagBytes, double slo,
                          ClientProbe.Options probe, Path eventsFile, String onEvent, Duration onEventTimeout) {
    }

    private final LoadedCluster cluster;
    private final SecretResolver secrets;
    private final Options options;
    private final Clock clock;
    private final String name;
    private final StatusService.Session session;
    private final ItemsCheck items;
    private final Http etcdHttp;
    private final LeaderKeyWatch watch;
    private final ClientProbe probe;
    private final EventOutput output;
    private final Thread gatherer;
    private final Map<EventType, Long> eventCounts = new EnumMap<>(EventType.class);
    private final Map<String, Instant> lastAnswer = new ConcurrentHashMap<>();
    private volatile Round latest;
    private volatile Duration lastTook;
    private volatile Instant roundStarted;
    private volatile long gathers;
    private volatile boolean stopping;
    private final Instant startedAt;

    private final LeaderTracker leaders;

    public Monitor(LoadedCluster cluster, SecretResolver secrets, Options options, Function<Event, String> json, PrintWriter stdout,
                   Clock clock) {
        this.cluster = cluster;
        this.secrets = secrets;
        this.options = options;
        this.clock = clock;
        this.name = cluster.spec().name();
        this.startedAt = clock.instant();
        this.leaders = new LeaderTracker(name);
        this.session = new StatusService(cluster, secrets, new StatusService.Options(options.connectTimeout(), options.readTimeout(),
                options.maxLagBytes())).openSession(ROUTES_MAX_AGE);
        this.items = new ItemsCheck(cluster, secrets);
        this.etcdHttp = EtcdGateway.http(cluster.spec(), options.connectTimeout(), options.readTimeout());
        this.watch = new LeaderKeyWatch(etcdHttp, cluster.spec().etcd().endpoints(), PatroniKeys.of(cluster.spec().patroni()).leader(),
                (at, holder, revision, initial) -> leaderSeen(at, holder, "etcd_watch"), clock);
        this.output = new EventOutput(json, new EventOutput.Options(options.eventsFile(), options.onEvent(), options.onEventTimeout()),
                stdout);
        this.probe = options.probe() == null ? null : new ClientProbe(cluster, secrets, options.probe(), new ClientProbe.Listener() {
            @Override
            public void failing(Instant at, String path, String error) {
                emit(Event.of(at, EventType.probe_failing, name, "probe", "the probe's " + path + " path fails: " + error)
                        .change(null, path));
            }

            @Override
            public void recovered(Instant at, String path, Duration outage) {
                emit(Event.of(at, EventType.probe_recovered, name, "probe", "the probe's " + path + " path works again after "
                        + outage.toMillis() + " ms").change(null, path).outage(outage));
            }
        }, clock);
        this.gatherer = new Thread(this::gatherLoop, "gather");
        this.gatherer.setDaemon(true);
    }

    public void start() {
        output.start();
        emit(Event.of(clock.instant(), EventType.monitor_started, name, "monitor", "the monitor started on cluster " + name));
        watch.start();
        if (probe != null) {
            probe.start();
        }
        gatherer.start();
    }

    private void gatherLoop() {
        CheckState state = CheckState.none(name);
        Integer timeline = null;
        long next = System.nanoTime();
        while (!stopping) {
            roundStarted = clock.instant();
            try {
                StatusService.Gathered g = session.gather();
                ItemsCheck.Judged judged = judgeItems(g, state);
                Instant at = clock.instant();
                Round round = new Round(g.status(), judged.report(), judged.next(), g.nodeErrors(), at);
                state = judged.next();
                answered(g.status(), at);
                leaderFromRound(at, g.status());
                for (Event e : EventDetector.changes(at, latest, round, leaderKeyHolder(), timeline)) {
                    emit(e);
                }
                if (g.status().timeline() != null) {
                    timeline = g.status().timeline();
                }
                latest = round;
                lastTook = Duration.between(roundStarted, at);
                gathers++;
                abandonSilentWatch(g.status());
            } catch (RuntimeException e) {
                // a round that fails as a whole (never expected: the session reports failures as answers) must not end the loop
                LOG.warn("a round of gathering failed; the figures age until the next one succeeds");
                LOG.debug("the failed round", e);
            }
            next += options.interval().toNanos();
            long wait = next - System.nanoTime();
            if (wait < 0) {
                next = System.nanoTime();
                continue;
            }
            try {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** The check items on the round; a judgment that fails leaves them UNKNOWN for this round, never the status. */
    private ItemsCheck.Judged judgeItems(StatusService.Gathered g, CheckState state) {
        try {
            return items.judge(g, state, options.maxLagBytes());
        } catch (RuntimeException e) {
            LOG.warn("the check items could not be judged this round; they are UNKNOWN until the next");
            LOG.debug("the items' judgment", e);
            List<io.connectha.check.ItemResult> unknown = new ArrayList<>();
            for (io.connectha.check.CheckItem i : io.connectha.check.CheckItem.values()) {
                unknown.add(new io.connectha.check.ItemResult(i, io.connectha.check.CheckStatus.UNKNOWN, null, List.of()));
            }
            return new ItemsCheck.Judged(new io.connectha.check.ItemsReport(name, io.connectha.check.CheckStatus.UNKNOWN, unknown,
                    g.status().checkedAt(), g.status().took()), state);
        }
    }

    private void answered(ClusterStatus s, Instant at) {
        for (MemberStatus m : s.members()) {
            if (m.patroni() != null && m.patroni().reachable()) {
                lastAnswer.put("patroni/" + m.name(), at);
            } else {
                lastAnswer.putIfAbsent("patroni/" + m.name(), startedAt);
            }
            if (m.postgres() != null && m.postgres().reachable()) {
                lastAnswer.put("postgres/" + m.name(), at);
            } else {
                lastAnswer.putIfAbsent("postgres/" + m.name(), startedAt);
            }
        }
        if (s.etcd() != null) {
            for (ClusterStatus.EtcdEndpoint e : s.etcd().endpoints()) {
                if (e.reachable()) {
                    lastAnswer.put("etcd/" + e.endpoint(), at);
                } else {
                    lastAnswer.putIfAbsent("etcd/" + e.endpoint(), startedAt);
                }
            }
        }
        if (s.haproxy() != null) {
            lastAnswer.compute("haproxy/" + s.haproxy().address(), (k, v) -> s.haproxy().reachable() ? at : v == null ? startedAt : v);
        }
        if (s.pgbouncer() != null) {
            lastAnswer.compute("pgbouncer/" + s.pgbouncer().address(), (k, v) -> s.pgbouncer().reachable() ? at : v == null ? startedAt : v);
        }
    }

    /** A round read the leader key too: it speaks when the watch could not (between streams, or its endpoint frozen). */
    private void leaderFromRound(Instant at, ClusterStatus s) {
        if (s.etcd() == null || s.etcd().healthy() == 0 || watch.endpoint() != null) {
            return;
        }
        leaderSeen(at, s.etcd().leaderKeyHolder(), "gather");
    }

    /** The watched endpoint stopped answering the round: its stream is silent, not broken, so it is dropped. */
    private void abandonSilentWatch(ClusterStatus s) {
        String watched = watch.endpoint();
        if (watched == null || s.etcd() == null) {
            return;
        }
        s.etcd().endpoints().stream().filter(e -> e.endpoint().equals(watched) && !e.reachable()).findFirst()
                .ifPresent(e -> watch.abandon(watched));
    }

    private void leaderSeen(Instant at, String holder, String source) {
        leaders.seen(at, holder, source).forEach(this::emit);
    }

    private String leaderKeyHolder() {
        return leaders.holder();
    }

    private void emit(Event e) {
        synchronized (eventCounts) {
            eventCounts.merge(e.type(), 1L, Long::sum);
        }
        if (e.type() != EventType.monitor_started && e.type() != EventType.monitor_stopping) {
            LOG.info("event {}: {}", e.type(), e.message());
        }
        output.emit(e);
    }

    /** What was last gathered; no I/O. */
    public MonitorSnapshot snapshot() {
        Instant now = clock.instant();
        Map<EventType, Long> counts;
        synchronized (eventCounts) {
            counts = new EnumMap<>(eventCounts);
        }
        String currentLeader = leaders.holder();
        long changes = leaders.changes();
        return new MonitorSnapshot(now, startedAt, options.slo(), latest, lastTook, gathers, new LinkedHashMap<>(lastAnswer),
                probe == null ? null : probe.figures(), counts, changes, currentLeader, watch.endpoint(), watch.lastHeard(),
                output.hookFailures(), output.dropped(), healthy(now));
    }

    /** The gather loop is alive and its current round is not overdue (a round is bounded by the status deadline). */
    private boolean healthy(Instant now) {
        if (!gatherer.isAlive() || stopping) {
            return false;
        }
        Instant started = roundStarted;
        Duration overdue = options.interval().plus(options.connectTimeout()).plus(options.readTimeout()).plusSeconds(2);
        return started == null ? Duration.between(startedAt, now).compareTo(overdue) < 0
                : Duration.between(started, now).compareTo(overdue) < 0 || latest != null
                && Duration.between(latest.finishedAt(), now).compareTo(overdue) < 0;
    }

    /** Stops everything within about 1.5 s: the round in flight is abandoned, the probe cleans up within its timeout. */
    @Override
    public void close() {
        stopping = true;
        emit(Event.of(clock.instant(), EventType.monitor_stopping, name, "monitor", "the monitor stops"));
        List<Thread> closing = new ArrayList<>();
        closing.add(closer("close-probe", () -> {
            if (probe != null) {
                probe.close();
            }
        }));
        closing.add(closer("close-watch", watch::close));
        gatherer.interrupt();
        long until = System.nanoTime() + Duration.ofMillis(1500).toNanos();
        for (Thread t : closing) {
            try {
                t.join(Math.max(1, (until - System.nanoTime()) / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            gatherer.join(Math.max(1, (until - System.nanoTime()) / 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LOG.debug("stopping: probe, watch and gathering stopped after {} ms", (System.nanoTime() - until) / 1_000_000 + 1500);
        session.close();
        etcdHttp.close();
        LOG.debug("stopping: sessions closed after {} ms", (System.nanoTime() - until) / 1_000_000 + 1500);
        output.close(Duration.ofMillis(Math.max(50, (until - System.nanoTime()) / 1_000_000)));
    }

    private static Thread closer(String name, Runnable r) {
        Thread t = new Thread(() -> {
            try {
                r.run();
            } catch (RuntimeException e) {
                LOG.warn("{}: {}", name, e.getMessage());
            }
        }, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** The monitor's name for the cluster, as every metric and event carries it. */
    public String cluster() {
        return name;
    }

}
