package io.connectha.status;

import io.connectha.cluster.ClusterSpec;
import io.connectha.cluster.LoadedCluster;
import io.connectha.cluster.MemberSpec;
import io.connectha.cluster.SecretName;
import io.connectha.cluster.SecretResolver;
import io.connectha.error.ConnectError;
import io.connectha.etcd.EtcdGateway;
import io.connectha.haproxy.HaproxyMembers;
import io.connectha.haproxy.HaproxyStats;
import io.connectha.net.Http;
import io.connectha.patroni.DcsConfig;
import io.connectha.patroni.PatroniClient;
import io.connectha.patroni.PatroniCluster;
import io.connectha.patroni.PatroniKeys;
import io.connectha.pg.NodeState;
import io.connectha.pg.Endpoints;
import io.connectha.pg.PgConnector;
import io.connectha.pg.ReplicationQueries;
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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Asks every member and component of the cluster file at once, each with its own connect and read
 * timeout, and under one overall deadline, and hands what each said (or why it did not answer) to
 * {@link StatusJudgment}, which says what is true and what is wrong. Gathering only: no judgment here.
 */
public final class StatusService {

    /**
     * @param maxLagBytes replicas further behind than this are a problem; null: Patroni's maximum_lag_on_failover
     *                    as the cluster runs it (the live DCS configuration's, else the cluster file's)
     */
    public record Options(Duration connectTimeout, Duration readTimeout, Long maxLagBytes) {
        /** Everything must have answered by then: connect + read, plus a margin for the queries themselves. */
        public Duration deadline() {
            return connectTimeout.plus(readTimeout).plusMillis(500);
        }
    }

    /**
     * The {@code application_name} of status's own connection through PgBouncer: its pools' client figures
     * leave connections by this name out, so that 10 application clients read 10, not 11.
     */
    public static final String PGBOUNCER_PROBE = "connect-status-probe";

    private final LoadedCluster cluster;
    private final SecretResolver secrets;
    private final Options options;
    private final StatusObservations.FileConfig fileConfig;

    public StatusService(LoadedCluster cluster, SecretResolver secrets, Options options) {
        this.cluster = cluster;
        this.secrets = secrets;
        this.options = options;
        this.fileConfig = new StatusObservations.FileConfig(DcsConfig.ofFile(cluster.spec()), DcsConfig.setBy(cluster));
    }

    /** One check, with resources made for it and released after it: {@code connect ha status}. */
    public ClusterStatus check() {
        try (Session session = new Session(false, Duration.ZERO)) {
            return session.check();
        }
    }

    /**
     * One check that must be over by {@code deadline} rather than by its own: {@code status --all} gives
     * every cluster the same one, so that many clusters answer within one status deadline.
     */
    public ClusterStatus check(Instant deadline) {
        try (Session session = new Session(false, Duration.ZERO)) {
            return StatusService.this.check(session, deadline);
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
        return new Session(true, Duration.ZERO);
    }

    /**
     * A session for a resident observer (the monitor): as {@link #openSession()}, and where a connection through
     * HAProxy or PgBouncer lands is asked again only when HAProxy's servers changed state since it was last asked, or
     * when that answer is older than {@code routesMaxAge}. A login costs a SCRAM exchange each time, the bulk of an
     * idle round's CPU; the route cannot change while HAProxy's view of its servers does not, and whether it reaches
     * the leader is still judged every round.
     */
    public Session openSession(Duration routesMaxAge) {
        return new Session(true, routesMaxAge);
    }

    public final class Session implements AutoCloseable {

        private final boolean keep;
        private final Http http = new Http(options.connectTimeout(), options.readTimeout());
        /** Patroni and etcd each with their own client: the cluster file may give each TLS of its own. */
        private final Http patroniHttp = PatroniClient.http(cluster.spec(), options.connectTimeout(), options.readTimeout());
        private final Http etcdHttp = EtcdGateway.http(cluster.spec(), options.connectTimeout(), options.readTimeout());
        private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "status");
            t.setDaemon(true);
            return t;
        });
        private final PgConnector pg = new PgConnector(options.connectTimeout(), options.readTimeout());
        private final Map<String, Connection> connections = new java.util.concurrent.ConcurrentHashMap<>();
        private final Duration routesMaxAge;
        private final Map<String, Route> routes = new java.util.concurrent.ConcurrentHashMap<>();

        private Session(boolean keep, Duration routesMaxAge) {
            this.keep = keep;
            this.routesMaxAge = routesMaxAge;
        }

        /** Where a path landed, and HAProxy's servers as they were then. */
        private record Route(String servers, String reaches, Instant at) {
        }

        /**
         * Where {@code path} lands: asked through {@code ask}, or the last answer when HAProxy's servers are as they were
         * then and it is younger than the session's maximum age. A failure is never kept.
         */
        String route(String path, Future<HaproxyStats.Reading> stats, Instant deadline, java.util.function.Supplier<String> ask) {
            if (routesMaxAge.isZero()) {
                return ask.get();
            }
            Outcome<HaproxyStats.Reading> reading = await(stats, deadline);
            if (!reading.ok()) {
                routes.remove(path);
                return ask.get();
            }
            String servers = reading.value().servers().stream().map(x -> x.backend() + "/" + x.server() + "@" + x.address() + "=" + x.status())
                    .sorted().reduce("", (a, b) -> a + ";" + b);
            Route last = routes.get(path);
            Instant now = Instant.now();
            if (last != null && last.servers().equals(servers) && Duration.between(last.at(), now).compareTo(routesMaxAge) < 0) {
                return last.reaches();
            }
            String reaches = ask.get();
            routes.put(path, new Route(servers, reaches, now));
            return reaches;
        }

        public ClusterStatus check() {
            return StatusService.this.check(this, Instant.now().plus(options.deadline()));
        }

        /**
         * One gathering for a resident observer (the monitor): the status, and beside it what the check items
         * judge from (Patroni's cluster view, each member's own {@code /patroni}, the DCS configuration as
         * Patroni's JSON), asked in the same round under the same deadline, so there is one way to gather.
         */
        public Gathered gather() {
            return StatusService.this.gather(this, Instant.now().plus(options.deadline()), true);
        }

        /** Consecutive failures to connect for one key, and when the next attempt may be made. */
        private record Backoff(int failures, long notBeforeNanos, ConnectError last) {
        }

        private final Map<String, Backoff> backoffs = new java.util.concurrent.ConcurrentHashMap<>();

        /** The longest a kept session waits between two attempts to reconnect: a member back is seen within it. */
        static final Duration MAX_BACKOFF = Duration.ofSeconds(4);

        /**
         * Runs {@code work} on the kept connection for {@code key}, or on a new one; a failed connection is not kept.
         * A kept session reconnects with backoff (0.5, 1, 2, then every 4 s) after failures to connect: until the next
         * attempt the last failure stands for the member, as it would have again.
         */
        <T> T withConnection(String key, java.util.function.Supplier<Connection> connect, java.util.function.Function<Connection, T> work) {
            Connection c = keep ? connections.get(key) : connect.get();
            if (c == null) {
                Backoff b = backoffs.get(key);
                if (b != null && System.nanoTime() - b.notBeforeNanos() < 0) {
                    throw b.last();
                }
                try {
                    c = connect.get();
                } catch (ConnectError e) {
                    int failures = b == null ? 1 : b.failures() + 1;
                    long delay = Math.min(MAX_BACKOFF.toMillis(), 500L << Math.min(failures - 1, 10));
                    backoffs.put(key, new Backoff(failures, System.nanoTime() + delay * 1_000_000, e));
                    throw e;
                }
                backoffs.remove(key);
                connections.put(key, c);
            }
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
            patroniHttp.close();
            etcdHttp.close();
        }
    }

    /**
     * What one round gathered, for the check items as well as the status.
     *
     * @param view       {@code /cluster} from the first member that answered; null when none did
     * @param nodes      each member's own {@code /patroni} that answered, in the file's order; empty when not asked
     * @param nodeErrors why each member that did not answer {@code /patroni} did not
     * @param configJson the DCS configuration key's value (Patroni's JSON); null when etcd did not give it
     */
    public record Gathered(ClusterStatus status, PatroniCluster view, Map<String, com.fasterxml.jackson.databind.JsonNode> nodes,
                           Map<String, String> nodeErrors, String configJson) {
    }

    private ClusterStatus check(Session session, Instant deadline) {
        return gather(session, deadline, false).status();
    }

    private Gathered gather(Session session, Instant deadline, boolean withNodes) {
        Instant start = Instant.now();
        ClusterSpec spec = cluster.spec();
        ExecutorService pool = session.pool;
        Http http = session.http;
        {
            PatroniClient patroni = new PatroniClient(session.patroniHttp);
            PgConnector pg = session.pg;

            Map<String, Future<PatroniCluster>> patroniViews = new LinkedHashMap<>();
            Map<String, Future<StatusObservations.Postgres>> probes = new LinkedHashMap<>();
            for (MemberSpec m : spec.members()) {
                patroniViews.put(m.name(), pool.submit(() -> patroni.cluster(m)));
                probes.put(m.name(), pool.submit(() -> probe(session, m)));
            }
            Map<String, Future<com.fasterxml.jackson.databind.JsonNode>> nodeViews = new LinkedHashMap<>();
            if (withNodes) {
                for (MemberSpec m : spec.members()) {
                    nodeViews.put(m.name(), pool.submit(() -> patroni.patroni(m)));
                }
            }
            EtcdGateway gateway = new EtcdGateway(session.etcdHttp);
            Map<String, Future<EtcdGateway.EndpointStatus>> etcdStatus = new LinkedHashMap<>();
            for (String endpoint : spec.etcd().endpoints()) {
                etcdStatus.put(endpoint, pool.submit(() -> gateway.status(endpoint)));
            }
            Future<List<EtcdGateway.Member>> etcdMembers = pool.submit(() -> firstAnswer(spec.etcd().endpoints(), gateway::members));
            String leaderKey = PatroniKeys.of(spec.patroni()).leader();
            Future<EtcdGateway.KeyValue> leaderKeyValue = pool.submit(() -> firstAnswer(spec.etcd().endpoints(),
                    e -> gateway.get(e, leaderKey).orElse(null)));
            // how Patroni runs: asked beside the leader key, so it costs no time of its own
            String configKey = PatroniKeys.of(spec.patroni()).config();
            Future<String> dcsConfig = pool.submit(() -> firstAnswer(spec.etcd().endpoints(),
                    e -> gateway.get(e, configKey).map(EtcdGateway.KeyValue::value).orElseThrow(() ->
                            new ConnectError(ConnectError.Kind.FAILURE, "etcd holds no " + configKey + " (Patroni's dynamic configuration)"))));
            Future<HaproxyStats.Reading> haproxyReading = pool.submit(() -> new HaproxyStats(http, options.readTimeout())
                    .read(spec.haproxy(), optionalPassword(SecretName.haproxy_stats)));
            Future<String> writeReaches = pool.submit(() -> session.route("write", haproxyReading, deadline, () -> reaches(pg,
                    Endpoints.haproxyWrite(spec, "postgres", spec.postgresql().superuser()), SecretName.superuser, PgConnector.Mode.DIRECT)));
            Future<String> readReaches = spec.members().size() < 2 ? null : pool.submit(() -> session.route("read", haproxyReading, deadline,
                    () -> reaches(pg, Endpoints.haproxyRead(spec, "postgres", spec.postgresql().superuser()), SecretName.superuser,
                            PgConnector.Mode.DIRECT)));
            Future<List<PgbouncerPool>> pools = pool.submit(() -> session.withConnection("pgbouncer-console",
                    () -> new PgbouncerAdmin(pg).open(spec.pgbouncer(), secrets.password(SecretName.pgbouncer_admin)),
                    c -> PgbouncerAdmin.pools(c, PGBOUNCER_PROBE)));
            // through the pool that reaches the application's database, named so that the pools' client figures leave it out
            Future<String> bouncerReaches = pool.submit(() -> session.route("pgbouncer", haproxyReading, deadline,
                    () -> reaches(pg.named(PGBOUNCER_PROBE), Endpoints.pgbouncer(spec, spec.postgresql().database(), spec.postgresql().appUser()),
                            SecretName.app, PgConnector.Mode.TRANSACTION_POOLED)));

            List<StatusObservations.Member> members = new ArrayList<>();
            for (MemberSpec m : spec.members()) {
                members.add(new StatusObservations.Member(m.name(), m.host(), m.port(), await(patroniViews.get(m.name()), deadline),
                        await(probes.get(m.name()), deadline)));
            }
            StatusObservations.Etcd etcd = etcd(spec, etcdStatus, await(etcdMembers, deadline), await(leaderKeyValue, deadline), deadline);
            Outcome<HaproxyStats.Reading> reading = await(haproxyReading, deadline);
            StatusObservations.Haproxy haproxy = new StatusObservations.Haproxy(spec.haproxy().statsHost() + ":" + spec.haproxy().statsPort(),
                    reading.ok() ? Outcome.answered(HaproxyMembers.named(reading.value().servers(), spec.members()))
                            : Outcome.failed(reading.kind(), reading.error()),
                    await(writeReaches, deadline), readReaches == null ? Outcome.notAsked() : await(readReaches, deadline),
                    spec.haproxy().writeBackend(), spec.haproxy().readBackend(), reading.ok() ? reading.value().backends() : null);
            StatusObservations.Pgbouncer pgbouncer = new StatusObservations.Pgbouncer(spec.pgbouncer().address(),
                    await(pools, deadline), await(bouncerReaches, deadline));
            Outcome<String> configJson = await(dcsConfig, deadline);
            Outcome<DcsConfig> liveConfig = parsed(configJson);
            Map<String, com.fasterxml.jackson.databind.JsonNode> nodes = new LinkedHashMap<>();
            Map<String, String> nodeErrors = new LinkedHashMap<>();
            nodeViews.forEach((name, f) -> {
                Outcome<com.fasterxml.jackson.databind.JsonNode> n = await(f, deadline);
                if (n.ok()) {
                    nodes.put(name, n.value());
                } else {
                    nodeErrors.put(name, n.error());
                }
            });
            ClusterStatus status = StatusJudgment.judge(new StatusObservations(spec.name(), spec.patroni().scope(), start,
                    Duration.between(start, Instant.now()), options.maxLagBytes(), members, etcd, haproxy, pgbouncer, liveConfig,
                    fileConfig));
            PatroniCluster view = members.stream().map(StatusObservations.Member::patroni).filter(Outcome::ok).map(Outcome::value)
                    .filter(java.util.Objects::nonNull).findFirst().orElse(null);
            return new Gathered(status, view, nodes, nodeErrors, configJson.ok() ? configJson.value() : null);
        }
    }

    private StatusObservations.Postgres probe(Session session, MemberSpec m) {
        PgConnector.Endpoint endpoint = Endpoints.memberAsSuperuser(cluster.spec(), m);
        return session.withConnection("member-" + m.name(), () -> session.pg.connect(endpoint, secrets.password(SecretName.superuser)), c -> {
            NodeState node = ReplicationQueries.nodeState(c);
            if (node.inRecovery()) {
                return new StatusObservations.Postgres(node, List.of(), List.of());
            }
            return new StatusObservations.Postgres(node, ReplicationQueries.replication(c), ReplicationQueries.slots(c));
        });
    }

    /** Where a connection through a proxy lands: the member at that address, or the address itself. */
    private String reaches(PgConnector pg, PgConnector.Endpoint endpoint, SecretName secret, PgConnector.Mode mode) {
        Connection c = pg.connect(endpoint, secrets.password(secret), mode);
        try {
            String address = ReplicationQueries.serverAddress(c);
            return HaproxyMembers.memberAt(address, cluster.spec().members());
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

    private static Outcome<DcsConfig> parsed(Outcome<String> json) {
        if (!json.ok()) {
            return Outcome.failed(json.kind(), json.error());
        }
        try {
            return Outcome.answered(DcsConfig.fromJson(json.value()));
        } catch (ConnectError e) {
            return Outcome.failed(e.kind(), e.getMessage());
        }
    }

    private <T> Outcome<T> await(Future<T> future, Instant deadline) {
        long left = Math.max(0, Duration.between(Instant.now(), deadline).toMillis());
        try {
            return Outcome.answered(future.get(left, TimeUnit.MILLISECONDS));
        } catch (TimeoutException e) {
            future.cancel(true);
            return Outcome.failed(ConnectError.Kind.UNREACHABLE, "no answer within " + options.deadline().toMillis() + " ms");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            String message = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
            ConnectError.Kind kind = cause instanceof ConnectError ce ? ce.kind() : ConnectError.Kind.FAILURE;
            return Outcome.failed(kind, message.lines().findFirst().orElse(message));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Outcome.failed(ConnectError.Kind.FAILURE, "interrupted");
        }
    }

    /** Each endpoint's answer, the raft leader by name (the member list maps its id), and Patroni's leader key. */
    private StatusObservations.Etcd etcd(ClusterSpec spec, Map<String, Future<EtcdGateway.EndpointStatus>> statuses,
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
        EtcdGateway.KeyValue key = leaderKey.ok() ? leaderKey.value() : null;
        return new StatusObservations.Etcd(spec.etcd().members().size(), endpoints, raftLeader,
                key == null ? null : key.value(), key == null ? null : key.leaseRemaining());
    }
}
