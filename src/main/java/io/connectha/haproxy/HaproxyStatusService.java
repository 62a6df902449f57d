package io.connectha.haproxy;

import io.connectha.pg.Endpoints;


import io.connectha.cluster.ClusterSpec;
import io.connectha.cluster.LoadedCluster;
import io.connectha.cluster.MemberSpec;
import io.connectha.cluster.SecretName;
import io.connectha.cluster.SecretResolver;
import io.connectha.error.ConnectError;
import io.connectha.net.Http;
import io.connectha.pg.PgConnector;
import io.connectha.pg.ReplicationQueries;
import io.connectha.cluster.Problem;
import io.connectha.pg.Sql;

import java.sql.Connection;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code connect ha haproxy status}: every server of the write and read backends as HAProxy sees
 * them, and, by a real connection through the write port, which member writes reach and whether
 * it is a primary. HAProxy's own word is its health check; the connection is the proof.
 */
public final class HaproxyStatusService {

    private final LoadedCluster cluster;
    private final SecretResolver secrets;
    private final Duration connectTimeout;
    private final Duration readTimeout;

    public HaproxyStatusService(LoadedCluster cluster, SecretResolver secrets, Duration connectTimeout, Duration readTimeout) {
        this.cluster = cluster;
        this.secrets = secrets;
        this.connectTimeout = connectTimeout;
        this.readTimeout = readTimeout;
    }

    /** The member a connection landed on, and whether it accepts writes. */
    record Reach(String member, boolean primary) {
    }

    /** Throws {@link ConnectError} (unreachable, authentication failed) when HAProxy's statistics cannot be read at all. */
    public HaproxyStatus check() {
        ClusterSpec spec = cluster.spec();
        HaproxyStats.Reading reading;
        try (Http http = new Http(connectTimeout, readTimeout)) {
            reading = new HaproxyStats(http, readTimeout).read(spec.haproxy(), optionalPassword(SecretName.haproxy_stats));
        }
        Reach reach = null;
        String reachError = null;
        try {
            reach = reachThroughWritePort(spec);
        } catch (ConnectError e) {
            if (e.kind() == ConnectError.Kind.INVALID_INPUT || e.kind() == ConnectError.Kind.AUTHENTICATION_FAILED) {
                throw e;
            }
            reachError = closedByHaproxy(e) ? "HAProxy accepted the connection and closed it: no server of the write backend took it"
                    : e.getMessage();
        }
        return assemble(spec, reading, reach, reachError);
    }

    static HaproxyStatus assemble(ClusterSpec spec, HaproxyStats.Reading reading, Reach reach, String reachError) {
        String writeBackend = spec.haproxy().writeBackend();
        String readBackend = spec.haproxy().readBackend();
        List<HaproxyServer> write = HaproxyMembers.named(reading.in(writeBackend), spec.members());
        List<HaproxyServer> read = HaproxyMembers.named(reading.in(readBackend), spec.members());
        List<Problem> problems = new ArrayList<>();
        boolean hasWrite = reading.has(writeBackend);
        boolean hasRead = reading.has(readBackend);
        for (String missing : missingBackends(spec, reading.backends())) {
            problems.add(Problem.critical(BACKEND_MISSING, null, missingMessage(spec, missing, reading.backends())));
        }
        List<String> writers = write.stream().filter(HaproxyServer::up).map(HaproxyServer::label).toList();
        if (!hasWrite) {
            // haproxy_backend_missing says it: no writer would be a second, false, reason
        } else if (writers.size() > 1) {
            problems.add(Problem.critical("haproxy_multiple_writers", null, writers.size() + " servers are UP in " + backendName("write", writeBackend) + ": "
                    + writers + "; writes may reach more than one member"));
        } else if (writers.isEmpty()) {
            problems.add(Problem.critical("haproxy_no_writer", null, "no server is UP in " + backendName("write", writeBackend) + ": "
                    + describe(write)));
        }
        if (reach == null) {
            problems.add(Problem.critical("haproxy_write_unreachable", null, "a connection through the write port "
                    + spec.haproxy().writeAddress() + " failed: " + reachError));
        } else if (!reach.primary()) {
            problems.add(Problem.critical("haproxy_write_not_primary", reach.member(), "the write port reaches " + reach.member()
                    + ", which is in recovery (a replica)"));
        }
        if (hasRead && spec.members().size() > 1 && read.stream().noneMatch(HaproxyServer::up)) {
            problems.add(Problem.warning("haproxy_no_reader", null, "no server is UP in " + backendName("read", readBackend) + ": " + describe(read)));
        }
        return new HaproxyStatus(reading.source(), spec.haproxy().writeAddress(), spec.haproxy().readAddress(), write, read,
                reach == null ? null : reach.member(), reach == null ? null : reach.primary(), reachError, problems,
                writeBackend, readBackend, reading.backends());
    }

    /** "the write backend", and its name when the cluster file gives it another. */
    public static String backendName(String role, String name) {
        return "the " + role + " backend" + (role.equals(name) ? "" : " " + name);
    }

    /** The problem code of a backend the cluster file names and HAProxy does not have. */
    public static final String BACKEND_MISSING = "haproxy_backend_missing";

    /** The write and read backends the cluster file names that HAProxy does not have (none when it told no backend at all). */
    public static List<String> missingBackends(ClusterSpec spec, List<String> backends) {
        if (backends == null || backends.isEmpty()) {
            return List.of();
        }
        return java.util.stream.Stream.of(spec.haproxy().writeBackend(), spec.haproxy().readBackend()).distinct()
                .filter(b -> !backends.contains(b)).toList();
    }

    public static String missingMessage(ClusterSpec spec, String backend, List<String> backends) {
        String field = backend.equals(spec.haproxy().writeBackend()) ? "haproxy.write_backend" : "haproxy.read_backend";
        return "HAProxy has no backend '" + backend + "' (" + field + " in the cluster file); its backends are: "
                + String.join(", ", backends);
    }

    private static String describe(List<HaproxyServer> servers) {
        return servers.isEmpty() ? "it has no servers"
                : String.join(", ", servers.stream().map(s -> s.label() + " " + s.status()).toList());
    }

    private Reach reachThroughWritePort(ClusterSpec spec) {
        PgConnector pg = new PgConnector(connectTimeout, readTimeout);
        PgConnector.Endpoint endpoint = Endpoints.haproxyWrite(spec, "postgres", spec.postgresql().superuser());
        try (Connection c = pg.connect(endpoint, secrets.password(SecretName.superuser))) {
            String address = ReplicationQueries.serverAddress(c);
            boolean primary = !Sql.one(c, "SELECT pg_is_in_recovery()", rs -> rs.getBoolean(1));
            String member = HaproxyMembers.memberAt(address, spec.members());
            return new Reach(member, primary);
        } catch (java.sql.SQLException | ConnectError e) {
            if (e instanceof ConnectError ce && ce.kind() != ConnectError.Kind.FAILURE) {
                throw ce;
            }
            throw ConnectError.unreachable("HAProxy write port", endpoint.address(), readTimeout,
                    e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().lines().findFirst().orElse(""), e);
        }
    }

    /** HAProxy closes a client connection at once when its backend has no server to give it to. */
    private static boolean closedByHaproxy(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.io.EOFException) {
                return true;
            }
        }
        return false;
    }

    private String optionalPassword(SecretName name) {
        try {
            return secrets.password(name);
        } catch (ConnectError e) {
            return null; // the stats socket needs none; the page will say 401 if it did
        }
    }
}
