package io.connectha.drill;

import io.connectha.pg.Endpoints;

import io.connectha.cluster.ClusterSpec;
import io.connectha.cluster.MemberSpec;
import io.connectha.error.ConnectError;
import io.connectha.etcd.EtcdGateway;
import io.connectha.net.Http;
import io.connectha.patroni.PatroniClient;
import io.connectha.patroni.PatroniKeys;
import io.connectha.patroni.PatroniMember;
import io.connectha.pg.NodeState;
import io.connectha.pg.PgConnector;
import io.connectha.pg.ReplicationConnection;
import io.connectha.pg.ReplicationQueries;
import io.connectha.pg.Sql;

import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * One-shot looks at the cluster that drills take every sample: the leader key in etcd, the leader
 * per Patroni, a member's PostgreSQL as it describes itself, the leader's pg_stat_replication, where
 * HAProxy's write port lands. Each look opens what it needs with short timeouts and answers "not
 * seen" rather than failing, so a sampler keeps its pace while members come and go.
 */
final class ClusterProbe implements AutoCloseable {

    private final ClusterSpec spec;
    private final String superPassword;
    /** etcd and Patroni each over their own client: each may have TLS of its own in the cluster file. */
    private final Http etcdHttp;
    private final Http patroniHttp;
    private final EtcdGateway etcd;
    private final PatroniClient patroni;
    private final PgConnector pg = new PgConnector(Duration.ofSeconds(1), Duration.ofSeconds(2));
    private final String leaderKey;

    ClusterProbe(ClusterSpec spec, String superPassword) {
        this.spec = spec;
        this.superPassword = superPassword;
        this.leaderKey = PatroniKeys.of(spec.patroni()).leader();
        this.etcdHttp = EtcdGateway.http(spec, Duration.ofMillis(500), Duration.ofSeconds(1));
        this.patroniHttp = PatroniClient.http(spec, Duration.ofMillis(500), Duration.ofSeconds(1));
        this.etcd = new EtcdGateway(etcdHttp);
        this.patroni = new PatroniClient(patroniHttp);
    }

    ClusterSpec spec() {
        return spec;
    }

    PgConnector connector() {
        return pg;
    }

    String superPassword() {
        return superPassword;
    }

    /** Who holds Patroni's leader key (empty: nobody); throws when no etcd endpoint answers. */
    Optional<String> leaderKeyHolder() {
        ConnectError last = null;
        for (String endpoint : spec.etcd().endpoints()) {
            try {
                return etcd.get(endpoint, leaderKey).map(EtcdGateway.KeyValue::value);
            } catch (ConnectError e) {
                last = e;
            }
        }
        throw last;
    }

    /** Whether an etcd member other than the one at {@code endpoint} (stopped by the drill) is raft leader. */
    boolean raftLeaderOtherThan(String endpoint) {
        for (String other : spec.etcd().endpoints()) {
            if (!other.equals(endpoint)) {
                try {
                    if (etcd.status(other).isLeader()) {
                        return true;
                    }
                } catch (ConnectError e) {
                    // not answering yet
                }
            }
        }
        return false;
    }

    /** The leader as the first Patroni that answers names it. */
    Optional<String> patroniLeader() {
        for (MemberSpec m : spec.members()) {
            try {
                return patroni.cluster(m).leader().map(PatroniMember::name);
            } catch (ConnectError e) {
                // that member's Patroni is down, perhaps the one the drill stopped
            }
        }
        return Optional.empty();
    }

    /** The member's own Patroni state ("running", "starting", ...); empty when its REST API does not answer. */
    Optional<String> patroniState(MemberSpec m) {
        try {
            return Optional.ofNullable(patroni.patroni(m).path("state").textValue());
        } catch (ConnectError e) {
            return Optional.empty();
        }
    }

    /** Patroni names a leader other than {@code except} and its PostgreSQL is out of recovery. */
    /** Another member confirmed as leader and writable: its name, and when, in ms from the fault. */
    record NewLeader(String name, long ms) {
    }

    /** Samples every 50 ms until another member than {@code oldLeader} is a writable leader, or the deadline passes. */
    Optional<NewLeader> awaitNewLeader(String oldLeader, long faultNanos, Duration deadline) {
        long end = faultNanos + deadline.toNanos();
        while (System.nanoTime() < end) {
            long tick = System.nanoTime();
            Optional<String> leader = writableLeaderOtherThan(oldLeader);
            if (leader.isPresent()) {
                return Optional.of(new NewLeader(leader.get(), Drills.ms(System.nanoTime() - faultNanos)));
            }
            Drills.sleep(Math.max(0, Drills.SAMPLE_MS - Drills.ms(System.nanoTime() - tick)));
        }
        return Optional.empty();
    }

    Optional<String> writableLeaderOtherThan(String except) {
        return patroniLeader().filter(l -> !l.equals(except)).filter(l -> node(member(l)).map(n -> !n.inRecovery()).orElse(false));
    }

    Optional<NodeState> node(MemberSpec m) {
        try {
            Connection c = connect(m, "postgres");
            try {
                return Optional.of(ReplicationQueries.nodeState(c));
            } finally {
                Sql.close(c);
            }
        } catch (ConnectError e) {
            return Optional.empty();
        }
    }

    /** A primary's timeline, from the name of the WAL file it writes (as Patroni reads it). */
    Optional<Integer> primaryTimeline(MemberSpec m) {
        try {
            Connection c = connect(m, "postgres");
            try {
                return Optional.of(Sql.one(c, "SELECT ('x' || substr(pg_walfile_name(pg_current_wal_lsn()), 1, 8))::bit(32)::int",
                        rs -> rs.getInt(1)));
            } finally {
                Sql.close(c);
            }
        } catch (ConnectError e) {
            return Optional.empty();
        }
    }

    /** The leader's pg_stat_replication row for {@code replica} (its application_name is the member's name), with the leader's current LSN. */
    Optional<Replication> replication(MemberSpec leader, String replica) {
        try {
            Connection c = connect(leader, "postgres");
            try {
                long current = Sql.one(c, "SELECT (pg_current_wal_lsn() - '0/0')::bigint", rs -> rs.getLong(1));
                List<ReplicationConnection> rows = ReplicationQueries.replication(c);
                return Optional.of(new Replication(current, rows.stream().filter(r -> replica.equals(r.applicationName())).findFirst()));
            } finally {
                Sql.close(c);
            }
        } catch (ConnectError e) {
            return Optional.empty();
        }
    }

    /** What the leader said: its current LSN, and the replica's row if it has one. */
    record Replication(long leaderLsn, Optional<ReplicationConnection> row) {
        boolean streaming() {
            return row.map(ReplicationConnection::streaming).orElse(false);
        }

        boolean caughtUpTo(long lsn) {
            return streaming() && row.get().replayLsn() != null && row.get().replayLsn() >= lsn;
        }
    }

    /** The member a connection to HAProxy's write port lands on, if any. */
    Optional<String> haproxyWriteReaches() {
        try {
            Connection c = pg.connect(Endpoints.haproxyWrite(spec, "postgres", spec.postgresql().superuser()), superPassword);
            try {
                return memberAt(ReplicationQueries.serverAddress(c));
            } finally {
                Sql.close(c);
            }
        } catch (ConnectError e) {
            return Optional.empty();
        }
    }

    /** A superuser connection straight to the member's PostgreSQL. */
    Connection connect(MemberSpec m, String database) {
        return pg.connect(Endpoints.member(spec, m, database, spec.postgresql().superuser()), superPassword);
    }

    MemberSpec member(String name) {
        return spec.member(name).orElseThrow();
    }

    /** The member listening at host:port. */
    Optional<String> memberAt(String address) {
        return spec.members().stream().filter(m -> m.address().equals(address)).map(MemberSpec::name).findFirst();
    }

    @Override
    public void close() {
        etcdHttp.close();
        patroniHttp.close();
    }
}
