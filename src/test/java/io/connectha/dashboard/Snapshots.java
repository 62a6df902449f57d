package io.connectha.dashboard;

import io.connectha.haproxy.HaproxyServer;
import io.connectha.patroni.PatroniMember;
import io.connectha.pgbouncer.PgbouncerPool;
import io.connectha.status.ClusterStatus;
import io.connectha.status.MemberRole;
import io.connectha.status.MemberStatus;
import io.connectha.cluster.Problem;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Hand-made {@link ClusterStatus} snapshots of a three-member cluster, changed one fact at a time. */
final class Snapshots {

    static final Instant T0 = Instant.parse("2026-11-23T06:00:00Z");

    private String leader = "pg1";
    private int timeline = 1;
    private boolean paused;
    private final List<String> down = new ArrayList<>();
    private final java.util.Map<String, Long> lag = new java.util.HashMap<>();
    private final List<String> notStreaming = new ArrayList<>();
    private boolean haproxyUp = true;
    private boolean pgbouncerUp = true;
    private boolean etcdUp = true;
    private final List<Problem> problems = new ArrayList<>();

    static Snapshots healthy() {
        return new Snapshots();
    }

    Snapshots leader(String name) {
        leader = name;
        timeline++;
        return this;
    }

    Snapshots paused(boolean p) {
        paused = p;
        return this;
    }

    Snapshots down(String member) {
        down.add(member);
        return this;
    }

    Snapshots lag(String member, long bytes) {
        lag.put(member, bytes);
        return this;
    }

    Snapshots notStreaming(String member) {
        notStreaming.add(member);
        return this;
    }

    Snapshots haproxyDown() {
        haproxyUp = false;
        return this;
    }

    Snapshots pgbouncerDown() {
        pgbouncerUp = false;
        return this;
    }

    Snapshots etcdDown() {
        etcdUp = false;
        return this;
    }

    Snapshots problem(Problem p) {
        problems.add(p);
        return this;
    }

    ClusterStatus at(Instant t) {
        List<MemberStatus> members = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            String name = "pg" + i;
            boolean isLeader = name.equals(leader);
            boolean up = !down.contains(name);
            members.add(new MemberStatus(name, "127.0.0.1" + i, 28000 + i, isLeader ? MemberRole.leader : MemberRole.replica,
                    up ? (isLeader ? "running" : "streaming") : "postgres down", timeline,
                    isLeader || !up ? null : lag.getOrDefault(name, 0L),
                    isLeader || !up ? null : Duration.ofMillis(lag.getOrDefault(name, 0L) > 0 ? 1500 : 0),
                    isLeader ? null : up && !notStreaming.contains(name),
                    new MemberStatus.Patroni(true, isLeader ? PatroniMember.Role.leader : PatroniMember.Role.replica, "running", timeline, 0L, false, null, null),
                    new MemberStatus.Postgres(up, null, up ? null : "connection refused"), null));
        }
        List<HaproxyServer> write = new ArrayList<>();
        List<HaproxyServer> read = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            String name = "pg" + i;
            write.add(new HaproxyServer("write", name, name.equals(leader) ? "UP" : "DOWN", "L7OK", 0, Duration.ofSeconds(60)));
            read.add(new HaproxyServer("read", name, name.equals(leader) ? "DOWN" : "UP", "L7OK", 0, Duration.ofSeconds(60)));
        }
        ClusterStatus.Haproxy haproxy = haproxyUp
                ? new ClusterStatus.Haproxy(true, "127.0.0.1:28100", write, read, leader, null, null, "pg2", null)
                : new ClusterStatus.Haproxy(false, "127.0.0.1:28100", List.of(), List.of(), null, "connection refused", "connection refused", null, "connection refused");
        ClusterStatus.Pgbouncer bouncer = pgbouncerUp
                ? new ClusterStatus.Pgbouncer(true, "127.0.0.1:28200",
                List.of(new PgbouncerPool("app", "app", 1, 0, 1, 2, 0, Duration.ZERO, "transaction")), leader, true, null, null)
                : new ClusterStatus.Pgbouncer(false, "127.0.0.1:28200", List.of(), null, null, "connection refused", "connection refused");
        ClusterStatus.Etcd etcd = new ClusterStatus.Etcd(
                List.of(new ClusterStatus.EtcdEndpoint("http://127.0.0.1:28379", etcdUp, "3.4.23", 20480L, etcdUp, etcdUp ? null : "refused")),
                etcdUp ? "etcd1" : null, etcdUp ? 1 : 0, etcdUp, etcdUp ? leader : null, etcdUp ? Duration.ofSeconds(9) : null, null);
        List<ClusterStatus.Slot> slots = List.of(new ClusterStatus.Slot("pg2", "physical", true, 0L, "reserved"),
                new ClusterStatus.Slot("pg3", "physical", true, 0L, "reserved"));
        return new ClusterStatus("lab", "lab", t, Duration.ofMillis(50), leader, timeline, paused, null, members, slots, etcd,
                haproxy, bouncer, null, List.copyOf(problems));
    }
}
