package io.connectha.config;

import io.connectha.pg.Endpoints;

import io.connectha.pg.Sql;

import io.connectha.pg.ReplicationQueries;

import io.connectha.pg.PgConnector;

import io.connectha.pg.NodeState;

import io.connectha.config.Dsn;

import io.connectha.pg.ConnectionStrings;

import io.connectha.cluster.AppSpec;
import io.connectha.cluster.ClusterSpec;
import io.connectha.cluster.LoadedCluster;
import io.connectha.cluster.MemberSpec;
import io.connectha.cluster.SecretName;
import io.connectha.cluster.SecretResolver;
import io.connectha.config.AppEnvGenerator;
import io.connectha.error.ConnectError;
import io.connectha.pg.ConnectionStrings.Target;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * {@code connect ha dsn}: the application's connection string for writes or reads, through
 * PgBouncer, through HAProxy, or straight to a member. Through a proxy it is the same string
 * {@code config generate} writes to app.env; straight to a member, PostgreSQL itself says which
 * member is the primary ({@code pg_is_in_recovery()}), not Patroni, whose word can be seconds old.
 */
public final class DsnService {

    public enum Role { write, read }

    public enum Via { haproxy, pgbouncer, direct }

    /**
     * @param role      write or read
     * @param roleGiven whether --write or --read was given: with a member, its role is then checked
     * @param via       null for the cluster file's choice (app.via) for writes, HAProxy for reads
     * @param member    a member by name: implies direct
     */
    public record Request(Role role, boolean roleGiven, Via via, ConnectionStrings.Format format, String member,
                          boolean withPassword) {
    }

    private final LoadedCluster cluster;
    private final SecretResolver secrets;
    private final PgConnector connector;
    private final Duration readTimeout;

    public DsnService(LoadedCluster cluster, SecretResolver secrets, Duration connectTimeout, Duration readTimeout) {
        this.cluster = cluster;
        this.secrets = secrets;
        this.connector = new PgConnector(connectTimeout, readTimeout);
        this.readTimeout = readTimeout;
    }

    public Dsn resolve(Request request) {
        ClusterSpec spec = cluster.spec();
        Via via = via(spec, request);
        Target target;
        String member = null;
        switch (via) {
            case pgbouncer -> {
                if (request.role() == Role.read) {
                    throw ConnectError.invalidInput("PgBouncer fronts the write path only; read through HAProxy (--via haproxy) or a replica (--via direct)");
                }
                target = AppEnvGenerator.writeTarget(spec, AppSpec.Via.pgbouncer);
            }
            case haproxy -> target = request.role() == Role.write ? AppEnvGenerator.writeTarget(spec, AppSpec.Via.haproxy)
                    : AppEnvGenerator.readTarget(spec);
            default -> {
                MemberSpec m = request.member() != null ? namedMember(spec, request) : memberInRole(spec, request.role());
                member = m.name();
                target = new Target(m.host(), m.port(), spec.postgresql().database(), spec.postgresql().appUser(), false);
            }
        }
        String password = request.withPassword() ? secrets.password(SecretName.app) : null;
        // PgBouncer's client TLS is its own; PostgreSQL's settings reach PostgreSQL directly or through HAProxy's TCP
        PgConnector.Ssl ssl = via == Via.pgbouncer ? null : PgConnector.Ssl.of(spec.postgresql());
        return new Dsn(ConnectionStrings.format(request.format(), target, password, ssl), request.format(), request.role(), via, member,
                target.host(), target.port(), target.database(), target.user(), target.transactionPooled(), password != null);
    }

    static Via via(ClusterSpec spec, Request request) {
        if (request.member() != null) {
            if (request.via() != null && request.via() != Via.direct) {
                throw ConnectError.invalidInput("--member names a member to connect to directly; it cannot go --via " + request.via());
            }
            return Via.direct;
        }
        if (request.via() != null) {
            return request.via();
        }
        return request.role() == Role.read ? Via.haproxy
                : spec.app().via() == AppSpec.Via.pgbouncer ? Via.pgbouncer : Via.haproxy;
    }

    /** The named member; with --write or --read, only if PostgreSQL there agrees that it has that role. */
    private MemberSpec namedMember(ClusterSpec spec, Request request) {
        MemberSpec m = spec.member(request.member()).orElseThrow(() -> ConnectError.invalidInput("no member '" + request.member()
                + "' in the cluster file (members: " + String.join(", ", spec.members().stream().map(MemberSpec::name).toList()) + ")"));
        if (request.roleGiven()) {
            boolean inRecovery = inRecovery(spec, m);
            if (inRecovery == (request.role() == Role.write)) {
                throw new ConnectError(ConnectError.Kind.FAILURE, m.name() + " is " + (inRecovery ? "a replica (in recovery): it cannot take writes"
                        : "the primary (not in recovery), not a replica") + "; leave out --" + request.role() + " to name it anyway");
            }
        }
        return m;
    }

    /**
     * The primary for writes, a replica for reads (one that streams, first in cluster-file order),
     * asking every member's PostgreSQL at once. Members that do not answer are passed over; if
     * none answers, the first failure is the error.
     */
    private MemberSpec memberInRole(ClusterSpec spec, Role role) {
        Map<MemberSpec, NodeState> states = new LinkedHashMap<>();
        List<ConnectError> failures = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(spec.members().size(), r -> {
            Thread t = new Thread(r, "dsn");
            t.setDaemon(true);
            return t;
        });
        try {
            Map<MemberSpec, CompletableFuture<NodeState>> probes = new LinkedHashMap<>();
            String password = secrets.password(SecretName.superuser);
            for (MemberSpec m : spec.members()) {
                probes.put(m, CompletableFuture.supplyAsync(() -> nodeState(spec, m, password), pool));
            }
            probes.forEach((m, f) -> {
                try {
                    states.put(m, f.join());
                } catch (java.util.concurrent.CompletionException e) {
                    if (e.getCause() instanceof ConnectError ce) {
                        failures.add(ce);
                    } else {
                        throw e;
                    }
                }
            });
        } finally {
            pool.shutdownNow();
        }
        return choose(states, failures, role);
    }

    static MemberSpec choose(Map<MemberSpec, NodeState> states, List<ConnectError> failures, Role role) {
        if (states.isEmpty()) {
            throw failures.stream().filter(e -> e.kind() == ConnectError.Kind.AUTHENTICATION_FAILED).findFirst()
                    .orElse(failures.isEmpty() ? ConnectError.invalidInput("the cluster file has no members") : failures.get(0));
        }
        if (role == Role.write) {
            List<MemberSpec> primaries = states.entrySet().stream().filter(e -> !e.getValue().inRecovery()).map(Map.Entry::getKey).toList();
            if (primaries.size() > 1) {
                throw new ConnectError(ConnectError.Kind.FAILURE, String.join(" and ", primaries.stream().map(MemberSpec::name).toList())
                        + " all accept writes (pg_is_in_recovery() is false on each): split brain; name one with --member if you must");
            }
            if (primaries.isEmpty()) {
                throw new ConnectError(ConnectError.Kind.FAILURE, "no member that answered is a primary (all are in recovery)"
                        + unanswered(failures));
            }
            return primaries.get(0);
        }
        return states.entrySet().stream().filter(e -> e.getValue().inRecovery() && e.getValue().streaming()).map(Map.Entry::getKey).findFirst()
                .or(() -> states.entrySet().stream().filter(e -> e.getValue().inRecovery()).map(Map.Entry::getKey).findFirst())
                .orElseThrow(() -> new ConnectError(ConnectError.Kind.FAILURE, "no member that answered is a replica (in recovery)"
                        + unanswered(failures)));
    }

    private static String unanswered(List<ConnectError> failures) {
        return failures.isEmpty() ? "" : "; not answering: " + failures.get(0).getMessage();
    }

    private boolean inRecovery(ClusterSpec spec, MemberSpec m) {
        return nodeState(spec, m, secrets.password(SecretName.superuser)).inRecovery();
    }

    private NodeState nodeState(ClusterSpec spec, MemberSpec m, String password) {
        PgConnector.Endpoint endpoint = Endpoints.memberAsSuperuser(spec, m);
        java.sql.Connection c = connector.connect(endpoint, password);
        try {
            return ReplicationQueries.nodeState(c);
        } catch (ConnectError e) {
            if (e.kind() != ConnectError.Kind.FAILURE) {
                throw e;
            }
            throw ConnectError.unreachable(endpoint.component(), endpoint.address(), readTimeout, e.getMessage(), e);
        } finally {
            Sql.close(c);
        }
    }
}
