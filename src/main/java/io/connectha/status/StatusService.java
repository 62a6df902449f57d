package io.connectha.status;

import io.connectha.cluster.Problem;

import io.connectha.cluster.ClusterSpec;
import io.connectha.cluster.LoadedCluster;
import io.connectha.cluster.MemberSpec;
import io.connectha.cluster.SecretName;
import io.connectha.cluster.SecretResolver;
import io.connectha.error.ConnectError;
import io.connectha.etcd.EtcdGateway;
import io.connectha.haproxy.HaproxyBackends;
import io.connectha.haproxy.HaproxyServer;
import io.connectha.haproxy.HaproxyStats;
import io.connectha.net.Http;
import io.connectha.patroni.PatroniClient;
import io.connectha.patroni.PatroniCluster;
import io.connectha.patroni.PatroniKeys;
import io.connectha.patroni.PatroniMember;
import io.connectha.pg.NodeState;
import io.connectha.pg.PgConnector;
import io.connectha.pg.ReplicationConnection;
import io.connectha.pg.ReplicationQueries;
import io.connectha.pg.ReplicationSlot;
import io.connectha.pgbouncer.PgbouncerAdmin;
import io.connectha.pgbouncer.PgbouncerPool;
import io.connectha.pg.Sql;

import java.sql.Connection;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Asks every member and component of the cluster file at once, each with its own connect and read
 * timeout, and under one overall deadline, then says what is true: PostgreSQL's word over
 * Patroni's where they differ (Patroni's {@code /primary} keeps answering 200 for seconds after its
 * PostgreSQL died, and a rejoined member reads "running" before it streams).
 */
public final class StatusService {

    /**
     * @param maxLagBytes replicas further behind than this are a problem (default: Patroni's maximum_lag_on_failover)
     */
    public record Options(Duration connectTimeout, Duration readTimeout, long maxLagBytes) {
        /** Everything must have answered by then: connect + read, plus a margin for the queries themselves. */
        Duration deadline() {
            return connectTimeout.plus(readTimeout).plusMillis(500);
        }
    }

    private final LoadedCluster cluster;
    private final SecretResolver secrets;
    private final Options options;

    public StatusService(LoadedCluster cluster, SecretResolver secrets, Options options) {
        this.cluster = cluster;
        this.secrets = secrets;
        this.options = options;
    }

    /** A member's PostgreSQL as it describes itself; replication and slots only when it is a primary. */
    record PgProbe(NodeState node, List<ReplicationConnection> replication, List<ReplicationSlot> slots) {
    }

    /** A result, or why there is none and what kind of failure that was. */
    record Outcome<T>(T value, String error, ConnectError.Kind kind) {
        boolean ok() {
            return error == null;
        }

        /** {@code <component>_auth_failed} or {@code <component>_unreachable}, the problem code for this failure. */
        String code(String component) {
            return component + (kind == ConnectError.Kind.AUTHENTICATION_FAILED ? "_auth_failed" : "_unreachable");
        }
    }

    /** One check, with resources made for it and released after it: {@code connect ha status}. */
    public ClusterStatus check() {
        try (Session session = new Session(false)) {
            return session.check();
        }
    }

    /**
     * A session for repeated checks (the dashboard): its HTTP client, its threads, and its direct
     * connections to each member's PostgreSQL and to PgBouncer's console live across checks, so a
     * refresh does not pay for new logins (SCRAM) every time. A connection that fails is dropped and
     * made again on the next check. Connections through HAProxy and PgBouncer's pool stay fresh on
     * every check: a kept one would keep reaching the member it reached first.
     */
    public Session openSession() {
        return new Session(true);
    }

    public final class Session implements AutoCloseable {

        private final boolean keep;
        private final Http http = new Http(options.connectTimeout(), options.readTimeout());
        private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "status");
            t.setDaemon(true);
            return t;
        });
        private final PgConnector pg = new PgConnector(options.connectTimeout(), options.readTimeout());
        private final Map<String, Connection> connections = new java.util.concurrent.ConcurrentHashMap<>();

        private Session(boolean keep) {
            this.keep = keep;
        }

        public ClusterStatus check() {
            return StatusService.this.check(this);
        }

        /** Runs {@code work} on the kept connection for {@code key}, or on a new one; a failed connection is not kept. */
        <T> T withConnection(String key, java.util.function.Supplier<Connection> connect, java.util.function.Function<Connection, T> work) {
            Connection c = keep ? connections.computeIfAbsent(key, k -> connect.get()) : connect.get();
            boolean failed = true;
            try {
                T result = work.apply(c);
                failed = false;
                return result;
            } finally {
                if (!keep || failed) {
                    connections.remove(key, c);
                    Sql.close(c);
                }
            }
        }

        @Override
        public void close() {
            pool.shutdownNow();
            connections.values().forEach(Sql::close);
            connections.clear();
            http.close();
        }
    }

    private ClusterStatus check(Session session) {
        Instant start = Instant.now();
        ClusterSpec spec = cluster.spec();
        ExecutorService pool = session.pool;
        Http http = session.http;
        {
            Instant deadline = start.plus(options.deadline());
            PatroniClient patroni = new PatroniClient(http);
            PgConnector pg = session.pg;

            Map<String, Future<PatroniCluster>> patroniViews = new LinkedHashMap<>();
            Map<String, Future<PgProbe>> probes = new LinkedHashMap<>();
            for (MemberSpec m : spec.members()) {
                patroniViews.put(m.name(), pool.submit(() -> patroni.cluster(m)));
                probes.put(m.name(), pool.submit(() -> probe(session, m)));
            }
            EtcdGateway gateway = new EtcdGateway(http);
            Map<String, Future<EtcdGateway.EndpointStatus>> etcdStatus = new LinkedHashMap<>();
            for (String endpoint : spec.etcd().endpoints()) {
                etcdStatus.put(endpoint, pool.submit(() -> gateway.status(endpoint)));
            }
            Future<List<EtcdGateway.Member>> etcdMembers = pool.submit(() -> firstAnswer(spec.etcd().endpoints(), gateway::members));
            String leaderKey = PatroniKeys.of(spec.patroni()).leader();
            Future<EtcdGateway.KeyValue> leaderKeyValue = pool.submit(() -> firstAnswer(spec.etcd().endpoints(),
                    e -> gateway.get(e, leaderKey).orElse(null)));
            Future<List<HaproxyServer>> haproxyServers = pool.submit(() -> new HaproxyStats(http, options.readTimeout())
                    .servers(spec.haproxy(), optionalPassword(SecretName.haproxy_stats)));
            Future<String> writeReaches = pool.submit(() -> reaches(pg, "HAProxy write port", spec.haproxy().host(),
                    spec.haproxy().writePort(), "postgres", spec.postgresql().superuser(), SecretName.superuser, PgConnector.Mode.DIRECT));
            Future<String> readReaches = spec.members().size() < 2 ? null : pool.submit(() -> reaches(pg, "HAProxy read port",
                    spec.haproxy().host(), spec.haproxy().readPort(), "postgres", spec.postgresql().superuser(), SecretName.superuser,
                    PgConnector.Mode.DIRECT));
            Future<List<PgbouncerPool>> pools = pool.submit(() -> session.withConnection("pgbouncer-console",
                    () -> new PgbouncerAdmin(pg).open(spec.pgbouncer(), secrets.password(SecretName.pgbouncer_admin)),
                    PgbouncerAdmin::pools));
            Future<String> bouncerReaches = pool.submit(() -> reaches(pg, "PgBouncer", spec.pgbouncer().host(), spec.pgbouncer().port(),
                    spec.postgresql().database(), spec.postgresql().appUser(), SecretName.app, PgConnector.Mode.TRANSACTION_POOLED));

            Map<String, Outcome<PatroniCluster>> views = new LinkedHashMap<>();
            patroniViews.forEach((name, f) -> views.put(name, await(f, deadline)));
            Map<String, Outcome<PgProbe>> pgs = new LinkedHashMap<>();
            probes.forEach((name, f) -> pgs.put(name, await(f, deadline)));

            return assemble(spec, start, views, pgs,
                    etcd(spec, etcdStatus, await(etcdMembers, deadline), await(leaderKeyValue, deadline), deadline),
                    haproxy(spec, await(haproxyServers, deadline), await(writeReaches, deadline),
                            readReaches == null ? new Outcome<>(null, null, null) : await(readReaches, deadline)),
                    pgbouncer(spec, await(pools, deadline), await(bouncerReaches, deadline)));
        }
    }

    private PgProbe probe(Session session, MemberSpec m) {
        PgConnector.Endpoint endpoint = new PgConnector.Endpoint("PostgreSQL on " + m.name(), m.host(), m.port(), "postgres",
                cluster.spec().postgresql().superuser());
        return session.withConnection("member-" + m.name(), () -> session.pg.connect(endpoint, secrets.password(SecretName.superuser)), c -> {
            NodeState node = ReplicationQueries.nodeState(c);
            if (node.inRecovery()) {
                return new PgProbe(node, List.of(), List.of());
            }
            return new PgProbe(node, ReplicationQueries.replication(c), ReplicationQueries.slots(c));
        });
    }

    /** Where a connection through a proxy lands: the member at that address, or the address itself. */
    private String reaches(PgConnector pg, String component, String host, int port, String database, String user,
                           SecretName secret, PgConnector.Mode mode) {
        Connection c = pg.connect(new PgConnector.Endpoint(component, host, port, database, user), secrets.password(secret), mode);
        try {
            String address = ReplicationQueries.serverAddress(c);
            return cluster.spec().members().stream().filter(m -> m.address().equals(address)).map(MemberSpec::name)
                    .findFirst().orElse(address);
        } finally {
            Sql.close(c);
        }
    }

    private String optionalPassword(SecretName name) {
        try {
            return secrets.password(name);
        } catch (ConnectError e) {
            return null; // the stats socket needs none; the page will say 401 if it did
        }
    }

    private static <T> T firstAnswer(List<String> endpoints, java.util.function.Function<String, T> call) {
        ConnectError last = null;
        for (String e : endpoints) {
            try {
                return call.apply(e);
            } catch (ConnectError ex) {
                last = ex;
            }
        }
        throw last == null ? ConnectError.invalidInput("no etcd endpoints") : last;
    }

    private <T> Outcome<T> await(Future<T> future, Instant deadline) {
        long left = Math.max(0, Duration.between(Instant.now(), deadline).toMillis());
        try {
            return new Outcome<>(future.get(left, TimeUnit.MILLISECONDS), null, null);
        } catch (TimeoutException e) {
            future.cancel(true);
            return new Outcome<>(null, "no answer within " + options.deadline().toMillis() + " ms", ConnectError.Kind.UNREACHABLE);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            String message = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
            ConnectError.Kind kind = cause instanceof ConnectError ce ? ce.kind() : ConnectError.Kind.FAILURE;
            return new Outcome<>(null, message.lines().findFirst().orElse(message), kind);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Outcome<>(null, "interrupted", ConnectError.Kind.FAILURE);
        }
    }

    // ------------------------------------------------------------------ components

    private ClusterStatus.Etcd etcd(ClusterSpec spec, Map<String, Future<EtcdGateway.EndpointStatus>> statuses,
                                    Outcome<List<EtcdGateway.Member>> members, Outcome<EtcdGateway.KeyValue> leaderKey,
                                    Instant deadline) {
        List<ClusterStatus.EtcdEndpoint> endpoints = new ArrayList<>();
        String raftLeaderId = null;
        for (Map.Entry<String, Future<EtcdGateway.EndpointStatus>> e : statuses.entrySet()) {
            Outcome<EtcdGateway.EndpointStatus> s = await(e.getValue(), deadline);
            if (s.ok()) {
                raftLeaderId = s.value().leaderId();
                endpoints.add(new ClusterStatus.EtcdEndpoint(e.getKey(), true, s.value().version(), s.value().dbSizeBytes(),
                        s.value().isLeader(), null));
            } else {
                endpoints.add(new ClusterStatus.EtcdEndpoint(e.getKey(), false, null, null, false, s.error()));
            }
        }
        String leaderId = raftLeaderId;
        String raftLeader = !members.ok() || leaderId == null ? null : members.value().stream()
                .filter(m -> m.id().equals(leaderId)).map(EtcdGateway.Member::name).findFirst().orElse(leaderId);
        int healthy = (int) endpoints.stream().filter(ClusterStatus.EtcdEndpoint::reachable).count();
        EtcdGateway.KeyValue key = leaderKey.ok() ? leaderKey.value() : null;
        String error = endpoints.stream().filter(e -> !e.reachable()).map(ClusterStatus.EtcdEndpoint::error).findFirst().orElse(null);
        return new ClusterStatus.Etcd(endpoints, raftLeader, healthy, healthy > spec.etcd().members().size() / 2 && raftLeader != null,
                key == null ? null : key.value(), key == null ? null : key.leaseRemaining(), error);
    }

    private static ClusterStatus.Haproxy haproxy(ClusterSpec spec, Outcome<List<HaproxyServer>> servers, Outcome<String> reaches,
                                                 Outcome<String> readReaches) {
        List<HaproxyServer> all = servers.ok() ? servers.value() : List.of();
        return new ClusterStatus.Haproxy(servers.ok(), spec.haproxy().statsHost() + ":" + spec.haproxy().statsPort(),
                all.stream().filter(s -> s.backend().equals(HaproxyBackends.WRITE)).toList(),
                all.stream().filter(s -> s.backend().equals(HaproxyBackends.READ)).toList(),
                reaches.value(), servers.error(), reaches.error(), readReaches.value(), readReaches.error());
    }

    private static ClusterStatus.Pgbouncer pgbouncer(ClusterSpec spec, Outcome<List<PgbouncerPool>> pools, Outcome<String> reaches) {
        return new ClusterStatus.Pgbouncer(pools.ok(), spec.pgbouncer().address(), pools.ok() ? pools.value() : List.of(),
                reaches.value(), null, pools.error(), reaches.error());
    }

    // ------------------------------------------------------------------ members and problems

    private ClusterStatus assemble(ClusterSpec spec, Instant start, Map<String, Outcome<PatroniCluster>> views,
                                   Map<String, Outcome<PgProbe>> pgs, ClusterStatus.Etcd etcd, ClusterStatus.Haproxy haproxy,
                                   ClusterStatus.Pgbouncer bouncer) {
        PatroniCluster view = views.values().stream().filter(Outcome::ok).map(Outcome::value).findFirst().orElse(null);
        List<Problem> problems = new ArrayList<>();
        String leader = null;
        if (view == null) {
            Outcome<PatroniCluster> first = views.values().iterator().next();
            problems.add(Problem.critical(first.code("patroni"), null, "no member's Patroni answered: " + first.error()));
        } else {
            List<PatroniMember> leaders = view.leaders();
            if (leaders.isEmpty()) {
                problems.add(Problem.critical("no_leader", null, "Patroni names no leader"));
            } else if (leaders.size() > 1) {
                problems.add(Problem.critical("multiple_leaders", null, "Patroni names " + leaders.size() + " leaders: "
                        + leaders.stream().map(PatroniMember::name).toList()));
            } else {
                leader = leaders.get(0).name();
            }
            if (view.isPaused()) {
                problems.add(Problem.warning("paused", null, "Patroni is paused (maintenance mode): no automatic failover"));
            }
        }
        // PostgreSQL's own word on who accepts writes
        List<String> writers = pgs.entrySet().stream().filter(e -> e.getValue().ok() && !e.getValue().value().node().inRecovery())
                .map(Map.Entry::getKey).toList();
        if (writers.size() > 1) {
            problems.add(Problem.critical("two_writers", null, String.join(" and ", writers)
                    + " all accept writes (pg_is_in_recovery() is false on each): split brain"));
        }
        String primary = leader != null && writers.contains(leader) ? leader : writers.size() == 1 ? writers.get(0) : null;
        PgProbe primaryProbe = primary == null ? null : pgs.get(primary).value();
        Map<String, ReplicationConnection> connections = new LinkedHashMap<>();
        if (primaryProbe != null) {
            primaryProbe.replication().forEach(r -> connections.put(r.applicationName(), r));
        }

        List<MemberStatus> members = new ArrayList<>();
        for (MemberSpec m : spec.members()) {
            Outcome<PatroniCluster> own = views.get(m.name());
            Outcome<PgProbe> pg = pgs.get(m.name());
            PatroniMember pm = view == null ? null : view.members().stream().filter(x -> x.name().equals(m.name())).findFirst().orElse(null);
            members.add(member(m, own, pm, pg, primaryProbe, connections.get(m.name()), problems, leader));
        }

        List<ClusterStatus.Slot> slots = primaryProbe == null ? List.of() : primaryProbe.slots().stream()
                .map(s -> new ClusterStatus.Slot(s.name(), s.type(), s.active(), s.retainedBytes(), s.walStatus())).toList();
        for (ClusterStatus.Slot s : slots) {
            if (!s.active()) {
                problems.add(Problem.warning("slot_inactive", null, "slot " + s.name() + " on " + primary + " is inactive"
                        + (s.retainedBytes() == null ? "" : " and keeps " + s.retainedBytes() + " bytes of WAL")));
            }
        }
        etcdProblems(etcd, problems);
        String leaderOrPrimary = leader != null ? leader : primary;
        haproxyProblems(haproxy, leaderOrPrimary, problems);
        ClusterStatus.Pgbouncer pgb = new ClusterStatus.Pgbouncer(bouncer.reachable(), bouncer.address(), bouncer.pools(),
                bouncer.reaches(), bouncer.reaches() == null || leaderOrPrimary == null ? null : bouncer.reaches().equals(leaderOrPrimary),
                bouncer.error(), bouncer.reachError());
        pgbouncerProblems(pgb, leaderOrPrimary, problems);

        Integer timeline = members.stream().filter(MemberStatus::isLeader).map(MemberStatus::timeline).filter(Objects::nonNull)
                .findFirst().orElse(null);
        PatroniCluster.ScheduledSwitchover sw = view == null ? null : view.scheduledSwitchover();
        return new ClusterStatus(spec.name(), spec.patroni().scope(), start, Duration.between(start, Instant.now()), leader, timeline,
                view != null && view.isPaused(), sw == null ? null : new ClusterStatus.Switchover(sw.at(), sw.from(), sw.to()),
                members, slots, etcd, haproxy, pgb, problems);
    }

    private MemberStatus member(MemberSpec m, Outcome<PatroniCluster> own, PatroniMember pm, Outcome<PgProbe> pg,
                                PgProbe primaryProbe, ReplicationConnection connection, List<Problem> problems, String leader) {
        NodeState node = pg.ok() ? pg.value().node() : null;
        boolean isLeader = pm != null ? pm.isLeader() : node != null && !node.inRecovery();
        String role = pm != null && pm.role() != null ? pm.role().name() : node == null ? "unknown" : node.inRecovery() ? "replica" : "leader";
        String state = pm != null ? pm.state() : node != null ? "running" : "unknown";
        if (!own.ok()) {
            state = "patroni down";
            problems.add(Problem.critical(own.code("patroni"), m.name(), "Patroni on " + m.name() + ": " + own.error()));
        }
        if (!pg.ok()) {
            state = "postgres down";
            String claim = pm != null && pm.isRunning() ? " (Patroni still reports it " + pm.state() + (isLeader ? " and leader" : "") + ")" : "";
            problems.add(Problem.critical(pg.code("postgres"), m.name(), "PostgreSQL on " + m.name() + ": " + pg.error() + claim));
        }
        Long lagBytes = null;
        Duration lag = null;
        Boolean streaming = null;
        if (!isLeader) {
            if (connection != null) {
                lagBytes = connection.lagBytes();
                lag = connection.replayLag() != null ? connection.replayLag() : lagBytes != null && lagBytes == 0 ? Duration.ZERO : null;
                streaming = connection.streaming();
            } else {
                streaming = primaryProbe == null && node != null ? node.streaming() : Boolean.FALSE;
                if (primaryProbe != null && node != null && primaryProbe.node().currentLsn() != null && node.replayLsn() != null) {
                    lagBytes = Math.max(0, primaryProbe.node().currentLsn() - node.replayLsn());
                }
            }
            if (pg.ok() && !streaming) {
                String patroniSays = pm != null && pm.isRunning() ? "Patroni calls it " + pm.state() + " but " : "";
                problems.add(Problem.critical("replica_not_streaming", m.name(), m.name() + ": " + patroniSays
                        + "it is not streaming" + (leader == null ? "" : " from " + leader) + " (pg_stat_replication)"));
            }
            if (lagBytes != null && lagBytes > options.maxLagBytes()) {
                problems.add(Problem.warning("lag_over_threshold", m.name(), m.name() + " is " + lagBytes
                        + " bytes behind the leader (threshold " + options.maxLagBytes() + ")"));
            }
        }
        if (pm != null && Boolean.TRUE.equals(pm.pendingRestart())) {
            problems.add(Problem.warning("pending_restart", m.name(), m.name() + " needs a restart for a changed setting"));
        }
        Integer timeline = pm != null && pm.timeline() != null ? pm.timeline() : node == null ? null : node.timeline();
        MemberStatus.Patroni patroniView = new MemberStatus.Patroni(own.ok(), pm == null || pm.role() == null ? null : pm.role().name(),
                pm == null ? null : pm.state(), pm == null ? null : pm.timeline(), pm == null ? null : pm.lagBytes(),
                pm != null && Boolean.TRUE.equals(pm.pendingRestart()), pm == null ? null : pm.tags(), own.error());
        return new MemberStatus(m.name(), m.host(), m.port(), role, state, timeline, lagBytes, lag, streaming, patroniView,
                new MemberStatus.Postgres(pg.ok(), node, pg.error()), connection);
    }

    private static void etcdProblems(ClusterStatus.Etcd etcd, List<Problem> problems) {
        for (ClusterStatus.EtcdEndpoint e : etcd.endpoints()) {
            if (!e.reachable()) {
                problems.add(Problem.critical("etcd_unreachable", null, "etcd at " + e.endpoint() + ": " + e.error()));
            }
        }
        if (!etcd.quorum() && etcd.healthy() > 0) {
            problems.add(Problem.critical("etcd_no_quorum", null, "etcd has no quorum: " + etcd.healthy() + " of "
                    + etcd.endpoints().size() + " members answer"));
        }
    }

    private static void haproxyProblems(ClusterStatus.Haproxy h, String leader, List<Problem> problems) {
        if (!h.reachable()) {
            problems.add(Problem.critical(h.error().startsWith("authentication failed") ? "haproxy_auth_failed" : "haproxy_unreachable",
                    null, "HAProxy stats: " + h.error()));
        } else if (h.upInWrite() > 1) {
            problems.add(Problem.critical("haproxy_multiple_writers", null, h.upInWrite() + " servers are UP in the write backend: "
                    + h.write().stream().filter(HaproxyServer::up).map(HaproxyServer::server).toList()));
        }
        if (h.readReachError() != null) {
            problems.add(Problem.critical("haproxy_read_unreachable", null, "HAProxy's read port: " + h.readReachError()));
        } else if (h.readReaches() != null && h.readReaches().equals(leader)) {
            problems.add(Problem.warning("haproxy_read_reaches_leader", null, "HAProxy's read port reaches the leader " + leader
                    + ", not a replica"));
        }
        if (h.writeReaches() == null) {
            problems.add(Problem.critical("haproxy_write_unreachable", null, "HAProxy's write port: " + h.writeReachError()));
        } else if (leader != null && !h.writeReaches().equals(leader)) {
            problems.add(Problem.critical("haproxy_write_not_leader", null, "HAProxy's write port reaches " + h.writeReaches()
                    + ", not the leader " + leader));
        }
    }

    private static void pgbouncerProblems(ClusterStatus.Pgbouncer b, String leader, List<Problem> problems) {
        if (!b.reachable()) {
            problems.add(Problem.critical(b.error().startsWith("authentication failed") ? "pgbouncer_auth_failed" : "pgbouncer_unreachable",
                    null, "PgBouncer admin console: " + b.error()));
        }
        if (b.reaches() == null) {
            if (b.reachable()) {
                problems.add(Problem.critical("pgbouncer_target_unreachable", null, "PgBouncer cannot reach the database: " + b.reachError()));
            }
        } else if (leader != null && !b.reaches().equals(leader)) {
            problems.add(Problem.critical("pgbouncer_not_leader", null, "PgBouncer reaches " + b.reaches() + ", not the leader " + leader));
        }
    }
}
