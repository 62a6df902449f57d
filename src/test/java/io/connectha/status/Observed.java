package io.connectha.status;

import io.connectha.error.ConnectError;
import io.connectha.haproxy.HaproxyServer;
import io.connectha.patroni.DcsConfig;
import io.connectha.patroni.PatroniCluster;
import io.connectha.patroni.PatroniMember;
import io.connectha.pg.NodeState;
import io.connectha.pg.ReplicationConnection;
import io.connectha.pg.ReplicationSlot;
import io.connectha.pgbouncer.PgbouncerPool;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Hand-made observations of a healthy cluster, changed one fact at a time: three members (pg1 the
 * leader, pg2 and pg3 streaming replicas), three etcd members, HAProxy and PgBouncer reaching pg1.
 * Each change is what one component would say; a test composes the changes a real fault makes.
 */
final class Observed {

    static final Instant CHECKED_AT = Instant.parse("2026-11-23T05:40:41.102Z");
    static final long MAX_LAG = 1_048_576;
    static final long LEADER_LSN = 50_000_000;
    static final List<String> ETCD = List.of("http://127.0.0.21:2379", "http://127.0.0.22:2379", "http://127.0.0.23:2379");

    /** What one member's Patroni and PostgreSQL say; a failure, when set, replaces the answer. */
    private static final class Member {
        final String name;
        final int index;
        PatroniMember.Role role;
        String state = "running";
        boolean pendingRestart;
        Outcome<PatroniCluster> patroniFailure;
        Outcome<StatusObservations.Postgres> postgresFailure;
        boolean inRecovery;
        boolean streaming = true;
        long lagBytes;

        Member(String name, int index, PatroniMember.Role role) {
            this.name = name;
            this.index = index;
            this.role = role;
            this.inRecovery = role != PatroniMember.Role.leader;
        }

        String host() {
            return "127.0.0.1" + index;
        }
    }

    private final Map<String, Member> members = new LinkedHashMap<>();
    private boolean paused;
    private final List<String> etcdDown = new ArrayList<>();
    private boolean raftLeader = true;
    private final Map<String, Long> inactiveSlots = new LinkedHashMap<>();
    private Outcome<List<HaproxyServer>> haproxyFailure;
    private final List<String> upInWrite = new ArrayList<>(List.of("pg1"));
    private String fileWriteBackend = "write";
    private String fileReadBackend = "read";
    private String haproxyWriteBackend = "write";
    private String haproxyReadBackend = "read";
    private Outcome<String> writeReaches = Outcome.answered("pg1");
    private Outcome<String> readReaches = Outcome.answered("pg2");
    private Outcome<List<PgbouncerPool>> pgbouncerFailure;
    private Outcome<String> pgbouncerReaches = Outcome.answered("pg1");
    /** The lab's fast timings, as the DCS holds them and as the file sets them: no drift. */
    static final DcsConfig LAB_TIMINGS = new DcsConfig(10, 2, 4, MAX_LAG, false, true, true, Map.of("max_connections", "100"));
    /** The same, with maximum_lag_on_failover left out of the file. */
    static final DcsConfig LAB_TIMINGS_WITHOUT_LAG = new DcsConfig(10, 2, 4, null, false, true, true, Map.of("max_connections", "100"));
    private Outcome<DcsConfig> liveConfig = Outcome.answered(LAB_TIMINGS);
    private DcsConfig fileSets = LAB_TIMINGS;
    private Long maxLag = MAX_LAG;

    private Observed() {
        members.put("pg1", new Member("pg1", 1, PatroniMember.Role.leader));
        members.put("pg2", new Member("pg2", 2, PatroniMember.Role.replica));
        members.put("pg3", new Member("pg3", 3, PatroniMember.Role.replica));
    }

    static Observed healthy() {
        return new Observed();
    }

    static Outcome<String> refused(String component) {
        return Outcome.failed(ConnectError.Kind.UNREACHABLE, "could not reach " + component + " within 1000 ms: connection refused");
    }

    static Outcome<String> authFailed(String component) {
        return Outcome.failed(ConnectError.Kind.AUTHENTICATION_FAILED, "authentication failed for " + component);
    }

    private static <T> Outcome<T> as(Outcome<String> failure) {
        return Outcome.failed(failure.kind(), failure.error());
    }

    // ------------------------------------------------------------------ etcd

    /** These etcd endpoints (1, 2, 3) do not answer; with none left, nobody names a raft leader or reads the leader key. */
    Observed etcdDown(int... endpoints) {
        for (int e : endpoints) {
            etcdDown.add(ETCD.get(e - 1));
        }
        return this;
    }

    Observed noRaftLeader() {
        raftLeader = false;
        return this;
    }

    // ------------------------------------------------------------------ Patroni

    Observed patroniDown(String member) {
        members.get(member).patroniFailure = as(refused("Patroni on " + member));
        return this;
    }

    Observed patroniRefuses(String member) {
        members.get(member).patroniFailure = as(authFailed("Patroni on " + member));
        return this;
    }

    /** Patroni's cluster view names these members leader, and the others replicas. */
    Observed patroniLeaders(String... leaders) {
        members.values().forEach(m -> m.role = List.of(leaders).contains(m.name) ? PatroniMember.Role.leader : PatroniMember.Role.replica);
        return this;
    }

    Observed patroniRole(String member, PatroniMember.Role role) {
        members.get(member).role = role;
        return this;
    }

    Observed paused() {
        paused = true;
        return this;
    }

    Observed pendingRestart(String member) {
        members.get(member).pendingRestart = true;
        return this;
    }

    // ------------------------------------------------------------------ PostgreSQL

    Observed postgresDown(String member) {
        members.get(member).postgresFailure = as(refused("PostgreSQL on " + member));
        return this;
    }

    Observed postgresRefuses(String member) {
        members.get(member).postgresFailure = as(authFailed("PostgreSQL on " + member));
        return this;
    }

    /** This member's PostgreSQL says it is not in recovery: it accepts writes. */
    Observed writer(String member) {
        members.get(member).inRecovery = false;
        return this;
    }

    Observed demoted(String member) {
        members.get(member).inRecovery = true;
        return this;
    }

    /** Neither the leader's pg_stat_replication nor the member's own WAL receiver shows it streaming. */
    Observed notStreaming(String member) {
        members.get(member).streaming = false;
        return this;
    }

    Observed lag(String member, long bytes) {
        members.get(member).lagBytes = bytes;
        return this;
    }

    Observed slotInactive(String member, long retainedBytes) {
        inactiveSlots.put(member, retainedBytes);
        return this;
    }

    // ------------------------------------------------------------------ HAProxy and PgBouncer

    Observed haproxyStats(Outcome<String> failure) {
        haproxyFailure = as(failure);
        return this;
    }

    Observed upInWriteBackend(String... servers) {
        upInWrite.clear();
        upInWrite.addAll(List.of(servers));
        return this;
    }

    /** The backend names the cluster file gives (haproxy.write_backend, haproxy.read_backend). */
    Observed backendsInFile(String write, String read) {
        fileWriteBackend = write;
        fileReadBackend = read;
        return this;
    }

    /** The names HAProxy's own config gives its write and read backends. */
    Observed backendsInHaproxy(String write, String read) {
        haproxyWriteBackend = write;
        haproxyReadBackend = read;
        return this;
    }

    Observed writePort(Outcome<String> reaches) {
        writeReaches = reaches;
        return this;
    }

    Observed readPort(Outcome<String> reaches) {
        readReaches = reaches;
        return this;
    }

    Observed pgbouncerConsole(Outcome<String> failure) {
        pgbouncerFailure = as(failure);
        return this;
    }

    Observed pgbouncerReaches(Outcome<String> reaches) {
        pgbouncerReaches = reaches;
        return this;
    }

    // ------------------------------------------------------------------ Patroni's dynamic configuration

    /** The DCS holds this configuration (null settings: not held, so Patroni's defaults). */
    Observed liveConfig(DcsConfig held) {
        liveConfig = Outcome.answered(held);
        return this;
    }

    Observed liveConfigUnreadable(Outcome<String> failure) {
        liveConfig = as(failure);
        return this;
    }

    /** The cluster file sets these settings itself (null: left out, so no opinion). */
    Observed fileSets(DcsConfig set) {
        fileSets = set;
        return this;
    }

    /** No --max-lag: the threshold is maximum_lag_on_failover as the cluster runs it. */
    Observed noMaxLagOption() {
        maxLag = null;
        return this;
    }

    // ------------------------------------------------------------------ the observations

    StatusObservations build() {
        PatroniCluster view = new PatroniCluster(members.values().stream().map(m -> new PatroniMember(m.name, m.role,
                !m.role.isLeader() && m.streaming ? "streaming" : m.state, m.host(), 5432 + m.index,
                "http://" + m.host() + ":8008/patroni", 1, m.role == PatroniMember.Role.leader ? null : m.lagBytes,
                m.pendingRestart, null)).toList(), paused, null);
        List<StatusObservations.Member> observed = new ArrayList<>();
        for (Member m : members.values()) {
            observed.add(new StatusObservations.Member(m.name, m.host(), 5432 + m.index,
                    m.patroniFailure != null ? m.patroniFailure : Outcome.answered(view),
                    m.postgresFailure != null ? m.postgresFailure : Outcome.answered(postgres(m))));
        }
        return new StatusObservations("lab", "lab", CHECKED_AT, Duration.ofMillis(48), maxLag, observed, etcd(), haproxy(),
                new StatusObservations.Pgbouncer("127.0.0.1:6432",
                        pgbouncerFailure != null ? pgbouncerFailure
                                : Outcome.answered(List.of(new PgbouncerPool("app", "app", 1, 0, 1, 0, 0, Duration.ZERO, "transaction"))),
                        pgbouncerReaches),
                etcdDown.size() == ETCD.size() && liveConfig.ok() ? as(refused("etcd at " + ETCD.get(0))) : liveConfig,
                new StatusObservations.FileConfig(LAB_TIMINGS, fileSets));
    }

    private StatusObservations.Postgres postgres(Member m) {
        if (!m.inRecovery) {
            List<ReplicationConnection> replication = new ArrayList<>();
            List<ReplicationSlot> slots = new ArrayList<>();
            for (Member r : members.values()) {
                if (r == m) {
                    continue;
                }
                if (r.inRecovery && r.streaming) {
                    long replay = LEADER_LSN - r.lagBytes;
                    replication.add(new ReplicationConnection(r.name, r.host(), "streaming", "async", LEADER_LSN, LEADER_LSN,
                            LEADER_LSN, replay, r.lagBytes, Duration.ofMillis(1), Duration.ofMillis(2),
                            r.lagBytes == 0 ? null : Duration.ofMillis(58)));
                }
                Long retained = inactiveSlots.get(r.name);
                slots.add(new ReplicationSlot(r.name, "physical", retained == null, LEADER_LSN, retained == null ? 0L : retained, "reserved"));
            }
            return new StatusObservations.Postgres(new NodeState(false, LEADER_LSN, null, null, null, 1, null, false), replication, slots);
        }
        long replay = LEADER_LSN - m.lagBytes;
        return new StatusObservations.Postgres(new NodeState(true, null, replay, replay, CHECKED_AT, 1,
                m.streaming ? "streaming" : null, false), List.of(), List.of());
    }

    private StatusObservations.Etcd etcd() {
        List<ClusterStatus.EtcdEndpoint> endpoints = new ArrayList<>();
        for (int i = 0; i < ETCD.size(); i++) {
            String e = ETCD.get(i);
            endpoints.add(etcdDown.contains(e)
                    ? new ClusterStatus.EtcdEndpoint(e, false, null, null, false, refused("etcd at " + e).error())
                    : new ClusterStatus.EtcdEndpoint(e, true, "3.4.23", 20480L, raftLeader && i == 0, null));
        }
        boolean anyUp = etcdDown.size() < ETCD.size();
        String leaderHolder = members.values().stream().filter(m -> m.role == PatroniMember.Role.leader).map(m -> m.name)
                .findFirst().orElse(null);
        return new StatusObservations.Etcd(ETCD.size(), endpoints, anyUp && raftLeader ? "etcd1" : null,
                anyUp ? leaderHolder : null, anyUp && leaderHolder != null ? Duration.ofSeconds(9) : null);
    }

    private StatusObservations.Haproxy haproxy() {
        List<HaproxyServer> servers = new ArrayList<>();
        for (Member m : members.values()) {
            servers.add(new HaproxyServer(haproxyWriteBackend, m.name, upInWrite.contains(m.name) ? "UP" : "DOWN", "L7OK", 0,
                    Duration.ofMinutes(5)));
        }
        for (Member m : members.values()) {
            servers.add(new HaproxyServer(haproxyReadBackend, m.name, m.inRecovery ? "UP" : "DOWN", "L7OK", 0, Duration.ofMinutes(5)));
        }
        return new StatusObservations.Haproxy("127.0.0.1:7000", haproxyFailure != null ? haproxyFailure : Outcome.answered(servers),
                writeReaches, readReaches, fileWriteBackend, fileReadBackend,
                haproxyFailure != null ? null : List.of("stats", haproxyWriteBackend, haproxyReadBackend));
    }
}
