package io.connectha.lab;

import io.connectha.cluster.ClusterSpec;
import io.connectha.cluster.EtcdSpec;
import io.connectha.cluster.LoadedCluster;
import io.connectha.cluster.MemberSpec;
import io.connectha.cluster.SecretName;
import io.connectha.cluster.SecretResolver;
import io.connectha.error.ConnectError;
import io.connectha.etcd.EtcdGateway;
import io.connectha.net.Http;
import io.connectha.patroni.PatroniClient;
import io.connectha.patroni.PatroniCluster;
import io.connectha.patroni.PatroniMember;
import io.connectha.pg.Endpoints;
import io.connectha.pg.PgConnector;
import io.connectha.pg.ReplicationConnection;
import io.connectha.pg.ReplicationQueries;
import io.connectha.pg.Sql;
import io.connectha.process.ProcessController;

import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * When each step of bring-up counts as ready, asked of the components through their own clients:
 * etcd's health endpoint, Patroni's {@code /cluster}, and PostgreSQL itself (directly, through
 * HAProxy's ports and through PgBouncer). Each wait polls every 200 ms until its deadline and, on
 * timeout, names the log to read.
 */
final class LabReadiness {

    private static final Duration POLL = Duration.ofMillis(200);

    private final LabLayout layout;
    private final ClusterSpec spec;
    private final SecretResolver secrets;
    private final PgConnector pg = new PgConnector(Duration.ofSeconds(2), Duration.ofSeconds(5));

    LabReadiness(LabLayout layout, LoadedCluster cluster) {
        this.layout = layout;
        this.spec = cluster.spec();
        this.secrets = new SecretResolver(cluster);
    }

    /** Every etcd member's {@code GET /health} says "true"; 30 s per member. */
    void awaitEtcdHealthy() {
        try (Http http = new Http(Duration.ofMillis(500), Duration.ofSeconds(1))) {
            EtcdGateway etcd = new EtcdGateway(http);
            for (EtcdSpec.EtcdMemberSpec m : spec.etcd().members()) {
                await(m.name() + " healthy", Duration.ofSeconds(30), m.name(), () -> etcd.healthy(m.clientUrl()));
            }
        }
    }

    /**
     * Patroni's {@code /cluster}, from any member that answers, lists every member, each running,
     * and exactly one leader. Returns the leader.
     */
    MemberSpec awaitPatroniLeader() {
        MemberSpec[] leader = new MemberSpec[1];
        try (Http http = new Http(Duration.ofMillis(500), Duration.ofSeconds(2))) {
            PatroniClient patroni = new PatroniClient(http);
            await("Patroni: one leader and every member running", Duration.ofSeconds(90), LabNames.patroni(spec.members().get(0)), () -> {
                PatroniCluster c = anyAnswer(patroni);
                Optional<PatroniMember> l = c.leader();
                boolean allRunning = c.members().size() == spec.members().size() && c.members().stream().allMatch(PatroniMember::isRunning);
                l.ifPresent(member -> leader[0] = spec.member(member.name()).orElse(null));
                return l.isPresent() && allRunning && leader[0] != null;
            });
        }
        return leader[0];
    }

    /**
     * Every other member streams, as {@code pg_stat_replication} on the leader says. Patroni calls
     * a rejoined member "running" before it streams, so only the leader itself is asked. Returns
     * the replicas' names.
     */
    Set<String> awaitReplicasStreaming(MemberSpec leader) {
        Set<String> replicas = spec.members().stream().map(MemberSpec::name).filter(n -> !n.equals(leader.name()))
                .collect(Collectors.toSet());
        String password = secrets.password(SecretName.superuser);
        await("every replica streaming (pg_stat_replication on " + leader.name() + ")", Duration.ofSeconds(60),
                LabNames.patroni(leader), () -> {
                    try (Connection c = pg.connect(Endpoints.memberAsSuperuser(spec, leader), password)) {
                        List<String> streaming = ReplicationQueries.replication(c).stream().filter(ReplicationConnection::streaming)
                                .map(ReplicationConnection::applicationName).toList();
                        return streaming.containsAll(replicas);
                    }
                });
        return replicas;
    }

    /** A superuser connection through HAProxy's write port lands on the leader Patroni names now, which is no standby. */
    void awaitHaproxyWritesToLeader() {
        String leader = currentLeaderAddress();
        String password = secrets.password(SecretName.superuser);
        PgConnector.Endpoint write = Endpoints.haproxyWrite(spec, "postgres", spec.postgresql().superuser());
        await("HAProxy routing writes to the leader", Duration.ofSeconds(30), "haproxy", () -> {
            try (Connection c = pg.connect(write, password)) {
                return leader.equals(ReplicationQueries.serverAddress(c)) && !ReplicationQueries.inRecovery(c);
            }
        });
    }

    /** A connection through HAProxy's read port lands on a standby. */
    void awaitHaproxyReadsToReplicas() {
        String password = secrets.password(SecretName.superuser);
        PgConnector.Endpoint read = Endpoints.haproxyRead(spec, "postgres", spec.postgresql().superuser());
        await("HAProxy routing reads to replicas", Duration.ofSeconds(30), "haproxy", () -> {
            try (Connection c = pg.connect(read, password)) {
                return ReplicationQueries.inRecovery(c);
            }
        });
    }

    /** The app user logs in to the app database through PgBouncer, as a pooled client, and runs a query. */
    void awaitPgbouncerAnswers() {
        String password = secrets.password(SecretName.app);
        PgConnector.Endpoint app = Endpoints.pgbouncer(spec, spec.postgresql().database(), spec.postgresql().appUser());
        await("PgBouncer answering the app user", Duration.ofSeconds(30), "pgbouncer", () -> {
            try (Connection c = pg.connect(app, password, PgConnector.Mode.TRANSACTION_POOLED)) {
                return Sql.answers(c);
            }
        });
    }

    private String currentLeaderAddress() {
        try (Http http = new Http(Duration.ofMillis(500), Duration.ofSeconds(2))) {
            PatroniCluster c = anyAnswer(new PatroniClient(http));
            return c.leader().flatMap(l -> spec.member(l.name())).map(MemberSpec::address)
                    .orElseThrow(() -> new ConnectError(ConnectError.Kind.FAILURE, "the cluster lost its leader during lab up"));
        }
    }

    private PatroniCluster anyAnswer(PatroniClient patroni) {
        ConnectError last = null;
        for (MemberSpec m : spec.members()) {
            try {
                return patroni.cluster(m);
            } catch (ConnectError e) {
                last = e;
            }
        }
        throw last;
    }

    private void await(String what, Duration deadline, String logOf, ProcessController.Probe probe) {
        try {
            ProcessController.awaitReady(what, deadline, POLL, probe);
        } catch (ConnectError e) {
            throw new ConnectError(ConnectError.Kind.FAILURE, e.getMessage() + "; see " + layout.log(logOf), e);
        }
    }
}
