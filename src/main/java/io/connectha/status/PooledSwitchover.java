package io.connectha.status;

import io.connectha.cluster.ClusterSpec;
import io.connectha.cluster.MemberSpec;
import io.connectha.cluster.SecretName;
import io.connectha.error.ConnectError;
import io.connectha.haproxy.HaproxyMembers;
import io.connectha.haproxy.HaproxyServer;
import io.connectha.haproxy.HaproxyStats;
import io.connectha.haproxy.HaproxyWriteSteering;
import io.connectha.net.Http;
import io.connectha.patroni.PatroniService;
import io.connectha.patroni.SwitchoverResult;
import io.connectha.pg.PgConnector;
import io.connectha.pg.Sql;
import io.connectha.pgbouncer.PgbouncerConsole;
import io.connectha.pgbouncer.PgbouncerRoute;
import io.connectha.pgbouncer.PgbouncerShow;
import io.connectha.process.Progress;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A switchover the clients see as latency, not errors: PgBouncer PAUSEs the application's databases (its running
 * transactions finish, new queries wait), Patroni switches over, and once the new leader is confirmed and the path
 * PgBouncer's server connections take reaches it, RESUME lets the waiting queries go to it. RESUME is sent whatever
 * fails, and on Ctrl-C ({@link PoolerHold}).
 */
public final class PooledSwitchover {

    /**
     * @param pauseTimeout how long PAUSE may wait for running transactions before the switchover is called off
     * @param leaderWait   for the new leader, then for PgBouncer's path to reach it
     * @param steer        whether to force the write backend's servers' health at once after the promotion
     */
    public record Options(Duration pauseTimeout, Duration leaderWait, Steer steer) {
    }

    /**
     * Steering HAProxy's write backend: {@code auto} when PgBouncer's path is HAProxy's write port and its admin
     * socket can be written (a steering that fails then only costs the wait for the health checks); {@code always}
     * fails the command when it cannot steer; {@code never} waits for the health checks.
     */
    public enum Steer {
        auto, always, never;

        /** From a negatable option: not given is auto, --steer-haproxy always, --no-steer-haproxy never. */
        public static Steer of(Boolean option) {
            return option == null ? auto : option ? always : never;
        }
    }

    private static final Duration POLL = Duration.ofMillis(50);

    private final PatroniService patroni;
    private final ClusterSpec spec;
    private final PgbouncerConsole console;
    private final Progress progress;
    private final Consumer<String> alarms;

    /** @param alarms where a failed RESUME is said, whatever -q says */
    public PooledSwitchover(PatroniService patroni, Progress progress, Consumer<String> alarms) {
        this.patroni = patroni;
        this.spec = patroni.loadedCluster().spec();
        this.console = new PgbouncerConsole(patroni.loadedCluster(), patroni.secrets(), patroni.connectTimeout(), patroni.readTimeout());
        this.progress = progress;
        this.alarms = alarms;
    }

    /** PgBouncer's databases that reach the application's database, as it runs them; refuses what cannot work. */
    public List<PgbouncerRoute> plan(String leader) {
        List<PgbouncerRoute> routes = PgbouncerRoute.of(console.show(PgbouncerShow.DATABASES).rows());
        MemberSpec old = patroni.member(leader);
        return routesToPause(routes, spec.postgresql().database(), spec.pgbouncer().address(), leader, old.address());
    }

    /**
     * The routes to PAUSE: every database of PgBouncer that reaches {@code database}. Refused: none; one already paused
     * (someone else's PAUSE, which RESUME would undo); one over a Unix socket (its path cannot be checked from here); one
     * that goes straight to the leader being switched away from (after the switchover it would reach a replica).
     */
    static List<PgbouncerRoute> routesToPause(List<PgbouncerRoute> routes, String database, String pgbouncer, String leader,
                                              String leaderAddress) {
        List<PgbouncerRoute> targets = routes.stream().filter(r -> database.equals(r.dbname())).toList();
        if (targets.isEmpty()) {
            throw new ConnectError(ConnectError.Kind.FAILURE, "--pause-pooler: PgBouncer at " + pgbouncer + " has no database that "
                    + "reaches " + database + " (SHOW DATABASES has: " + String.join(", ", routes.stream()
                    .map(r -> r.name() + " -> " + r.dbname()).toList()) + ")");
        }
        for (PgbouncerRoute r : targets) {
            if (r.paused()) {
                throw new ConnectError(ConnectError.Kind.FAILURE, "--pause-pooler: PgBouncer's database " + r.name()
                        + " is already paused by someone else; resume it first (connect ha pgbouncer resume " + r.name() + ")");
            }
            if (!r.overTcp()) {
                throw new ConnectError(ConnectError.Kind.FAILURE, "--pause-pooler: PgBouncer's database " + r.name()
                        + " reaches PostgreSQL over a Unix socket; connect cannot check that it reaches the new leader");
            }
            if (sameAddress(r.address(), leaderAddress)) {
                throw new ConnectError(ConnectError.Kind.FAILURE, "--pause-pooler: PgBouncer's database " + r.name() + " goes straight to "
                        + leader + " (" + r.address() + "), the leader being switched away from: after the switchover it would reach "
                        + "a replica; point it at HAProxy's write port");
            }
        }
        return targets;
    }

    /** The plan, checked, with nothing paused nor switched. */
    public PooledSwitchoverResult dryRun(String leader, String candidate) {
        List<PgbouncerRoute> targets = plan(leader);
        SwitchoverResult switchover = patroni.switchover(leader, candidate, null, true, Duration.ZERO);
        return new PooledSwitchoverResult(switchover, pooler(targets, null, false), List.of(), null);
    }

    public PooledSwitchoverResult run(String leader, String candidate, Options o) {
        List<PgbouncerRoute> targets = plan(leader);
        List<PooledSwitchoverResult.Phase> phases = new ArrayList<>();
        SwitchoverResult switchover = null;
        PooledSwitchoverResult.Steering steering = null;
        PoolerHold hold = new PoolerHold(console, spec.pgbouncer().address(), alarms);
        RuntimeException failure = null;
        try {
            Instant start = Instant.now();
            for (PgbouncerRoute r : targets) {
                try {
                    hold.pause(r.name(), o.pauseTimeout());
                } catch (ConnectError e) {
                    boolean late = Duration.between(start, Instant.now()).compareTo(o.pauseTimeout()) >= 0;
                    throw new ConnectError(e.kind(), late ? "PgBouncer's " + r.name() + " still had transactions running after "
                            + o.pauseTimeout().toMillis() + " ms (--pause-timeout): resumed it, and did not switch over"
                            : "could not pause PgBouncer's " + r.name() + ": " + e.getMessage() + "; did not switch over", e);
                }
            }
            phases.add(phase("pause", start));
            progress.info("PgBouncer paused " + String.join(", ", targets.stream().map(PgbouncerRoute::name).toList())
                    + "; switching over from " + leader + " to " + candidate + "...");

            Instant requested = Instant.now();
            switchover = patroni.switchover(leader, candidate, null, false, o.leaderWait());
            phases.add(phase("switchover", requested));
            Instant deadline = requested.plus(o.leaderWait());

            if (o.steer() == Steer.always || o.steer() == Steer.auto && steerable(targets)) {
                Instant steer = Instant.now();
                try {
                    HaproxyWriteSteering.Steered s = HaproxyWriteSteering.steer(spec.haproxy(), spec.members(), leader, candidate,
                            patroni.readTimeout());
                    steering = new PooledSwitchoverResult.Steering(s.backend(), s.downServer(), s.upServer(), s.commands());
                    phases.add(phase("steer", steer));
                } catch (ConnectError e) {
                    if (o.steer() == Steer.always) {
                        throw e;
                    }
                    progress.warn("could not steer HAProxy (" + e.getMessage() + "); waiting for its health checks instead");
                }
            }

            Instant path = Instant.now();
            awaitPath(targets, candidate, deadline);
            phases.add(phase("path", path));
        } catch (RuntimeException e) {
            failure = e;
        }
        Instant resume = Instant.now();
        try {
            hold.close();
        } catch (ConnectError e) {
            if (failure != null) {
                alarms.accept("(what failed before: " + failure.getMessage() + ")");
            }
            throw e;
        }
        phases.add(phase("resume", resume));
        if (failure != null) {
            progress.info("PgBouncer resumed " + String.join(", ", hold.paused()) + " after " + hold.held().toMillis() + " ms.");
            throw failure;
        }
        return new PooledSwitchoverResult(switchover, pooler(targets, hold.held(), true), List.copyOf(phases), steering);
    }

    private PooledSwitchoverResult.Pooler pooler(List<PgbouncerRoute> targets, Duration held, boolean resumed) {
        Set<String> paths = new LinkedHashSet<>();
        targets.forEach(r -> paths.add(r.address()));
        return new PooledSwitchoverResult.Pooler(spec.pgbouncer().address(), targets.stream().map(PgbouncerRoute::name).toList(),
                List.copyOf(paths), targets.stream().allMatch(this::viaHaproxy), held, resumed);
    }

    private static PooledSwitchoverResult.Phase phase(String name, Instant since) {
        return new PooledSwitchoverResult.Phase(name, Duration.between(since, Instant.now()));
    }

    /**
     * Until a fresh connection over each path PgBouncer uses lands on a PostgreSQL out of recovery and, for a path through
     * HAProxy's write port, the write backend has the new leader UP and no other server UP (with {@code balance first}
     * a second one UP could take PgBouncer's new server connections).
     */
    private void awaitPath(List<PgbouncerRoute> targets, String candidate, Instant deadline) {
        PgConnector pg = new PgConnector(Duration.ofMillis(500), Duration.ofSeconds(1));
        String password = patroni.secrets().password(SecretName.app);
        Set<String> seen = new LinkedHashSet<>();
        String last = "not asked yet";
        try (Http http = new Http(patroni.connectTimeout(), patroni.readTimeout())) {
            for (PgbouncerRoute r : targets) {
                if (!seen.add(r.address())) {
                    continue;
                }
                while (true) {
                    try {
                        if (!lands(pg, r, password)) {
                            last = r.address() + " reaches a PostgreSQL in recovery";
                        } else if (viaHaproxy(r) && !(last = writeBackend(http, candidate)).isEmpty()) {
                            // said by writeBackend
                        } else {
                            break;
                        }
                    } catch (ConnectError e) {
                        last = e.getMessage();
                    }
                    if (Instant.now().isAfter(deadline)) {
                        throw new ConnectError(ConnectError.Kind.FAILURE, candidate + " leads, but PgBouncer's path " + r.address()
                                + " did not reach it within --wait: " + last);
                    }
                    sleep(POLL);
                }
            }
        }
    }

    private boolean lands(PgConnector pg, PgbouncerRoute r, String password) {
        PgConnector.Endpoint endpoint = new PgConnector.Endpoint("PgBouncer's server " + r.address(), r.host(), r.port(), r.dbname(),
                spec.postgresql().appUser(), PgConnector.Ssl.of(spec.postgresql()));
        Connection c = pg.connect(endpoint, password);
        try {
            return !Sql.one(c, "SELECT pg_is_in_recovery()", rs -> rs.getBoolean(1));
        } finally {
            Sql.close(c);
        }
    }

    /** Empty when the write backend routes to the new leader only; otherwise what it shows. */
    private String writeBackend(Http http, String candidate) {
        List<HaproxyServer> servers = HaproxyMembers.named(new HaproxyStats(http, patroni.readTimeout())
                .read(spec.haproxy(), statsPassword()).in(spec.haproxy().writeBackend()), spec.members());
        return writeBackendVerdict(servers, candidate);
    }

    /** Empty when {@code candidate}'s server is UP and no other is; otherwise the servers' states, in words. */
    static String writeBackendVerdict(List<HaproxyServer> servers, String candidate) {
        boolean newUp = servers.stream().anyMatch(s -> candidate.equals(s.member()) && s.up());
        boolean otherUp = servers.stream().anyMatch(s -> !candidate.equals(s.member()) && s.up());
        if (newUp && !otherUp) {
            return "";
        }
        return "HAProxy's write backend has " + String.join(", ", servers.stream().map(s -> s.label() + " " + s.status()).toList());
    }

    private String statsPassword() {
        try {
            return patroni.secrets().password(SecretName.haproxy_stats);
        } catch (ConnectError e) {
            return null;
        }
    }

    /** PgBouncer's every path is HAProxy's write port, and this user can write HAProxy's admin socket. */
    private boolean steerable(List<PgbouncerRoute> targets) {
        String socket = spec.haproxy().statsSocket();
        return targets.stream().allMatch(this::viaHaproxy) && socket != null && !socket.isBlank()
                && java.nio.file.Files.isWritable(java.nio.file.Path.of(socket));
    }

    private boolean viaHaproxy(PgbouncerRoute r) {
        return r.port() == spec.haproxy().writePort() && sameHost(r.host(), spec.haproxy().host());
    }

    static boolean sameAddress(String a, String b) {
        int i = a.lastIndexOf(':');
        int j = b.lastIndexOf(':');
        return i > 0 && j > 0 && a.substring(i).equals(b.substring(j)) && sameHost(a.substring(0, i), b.substring(0, j));
    }

    private static boolean sameHost(String a, String b) {
        String x = a.replace("[", "").replace("]", "").toLowerCase(Locale.ROOT);
        String y = b.replace("[", "").replace("]", "").toLowerCase(Locale.ROOT);
        if (x.equals(y)) {
            return true;
        }
        try {
            return InetAddress.getByName(x).equals(InetAddress.getByName(y));
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConnectError(ConnectError.Kind.FAILURE, "interrupted", e);
        }
    }
}
