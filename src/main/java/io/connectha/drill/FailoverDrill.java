package io.connectha.drill;

import io.connectha.cluster.ClusterSpec;
import io.connectha.cluster.LoadedCluster;
import io.connectha.cluster.MemberSpec;
import io.connectha.cluster.SecretName;
import io.connectha.cluster.SecretResolver;
import io.connectha.error.ConnectError;
import io.connectha.etcd.EtcdGateway;
import io.connectha.lab.Lab;
import io.connectha.net.Http;
import io.connectha.patroni.PatroniClient;
import io.connectha.patroni.PatroniCluster;
import io.connectha.patroni.PatroniKeys;
import io.connectha.patroni.PatroniMember;
import io.connectha.pg.PgConnector;
import io.connectha.pg.ReplicationQueries;
import io.connectha.pg.Sql;
import io.connectha.render.Progress;
import io.connectha.status.ClusterStatus;
import io.connectha.status.MemberStatus;
import io.connectha.status.StatusService;

import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A timed failover drill under load: preflight, N writing clients with a ledger of acknowledged
 * writes, a fault on the leader at a recorded instant, sampling every 50 ms until the new leader
 * is confirmed and HAProxy routes to it, then verification on the new leader: every acknowledged
 * write present, no member writing after another took over, the old leader streaming again.
 */
public final class FailoverDrill {

    public record Options(FaultKind fault, int clients, Duration loadAfterFault, Duration warmup, Duration maxRto, long maxLostWrites,
                          double maxErrorRate, Duration maxP95, Duration maxRejoin, boolean keepTable) {
    }

    private static final int SAMPLE_MS = 50;

    private final LoadedCluster cluster;
    private final SecretResolver secrets;
    private final Progress progress;

    public FailoverDrill(LoadedCluster cluster, SecretResolver secrets, Progress progress) {
        this.cluster = cluster;
        this.secrets = secrets;
        this.progress = progress;
    }

    public DrillReport run(Options o) {
        ClusterSpec spec = cluster.spec();
        Optional<Lab> lab = Lab.of(cluster.file(), progress);
        if (o.fault().killsProcesses() && lab.isEmpty()) {
            throw ConnectError.invalidInput("--fault " + o.fault().option() + " kills processes, so it needs a lab's cluster file "
                    + "(connect ha lab up); on other clusters use --fault switchover");
        }
        StatusService statusService = new StatusService(cluster, secrets, new StatusService.Options(Duration.ofSeconds(1),
                Duration.ofSeconds(2), spec.patroni().maximumLagOnFailover().bytes()));
        ClusterStatus before = Preflight.require(statusService);
        String oldLeader = before.leader();
        MemberSpec old = spec.member(oldLeader).orElseThrow();
        progress.info("Preflight passed: leader " + oldLeader + ", every replica streaming, HAProxy routes writes to it.");

        PgConnector pg = new PgConnector(Duration.ofSeconds(1), Duration.ofSeconds(2));
        String appPassword = secrets.password(SecretName.app);
        String superPassword = secrets.password(SecretName.superuser);
        PgConnector.Endpoint write = new PgConnector.Endpoint("HAProxy write port", spec.haproxy().host(), spec.haproxy().writePort(),
                spec.postgresql().database(), spec.postgresql().appUser());
        Connection setup = pg.connect(write, appPassword);
        try {
            Sql.execute(setup, "DROP TABLE IF EXISTS connect_drill");
            Sql.execute(setup, "CREATE TABLE connect_drill (seq bigint PRIMARY KEY, client int NOT NULL)");
        } finally {
            Sql.close(setup);
        }

        WriteLoad load = new WriteLoad(pg, write, appPassword, PgConnector.Mode.DIRECT);
        load.start(o.clients());
        sleep(o.warmup().toMillis());

        long faultNanos = System.nanoTime();
        Instant faultAt = Instant.now();
        progress.info("Fault: " + o.fault().option() + " on " + oldLeader + " at " + faultAt);
        Thread switchover = applyFault(o.fault(), lab, old, oldLeader);

        // after a postmaster crash Patroni may restart PostgreSQL on the same node, which then leads again
        boolean sameLeaderMayRecover = o.fault() == FaultKind.POSTMASTER_KILL;
        Samples samples = sample(spec, pg, superPassword, old, faultNanos, o.maxRto().plusSeconds(30), sameLeaderMayRecover);
        long loadUntil = faultNanos + o.loadAfterFault().toNanos();
        sleep(Math.max(0, (loadUntil - System.nanoTime()) / 1_000_000));
        load.stop();
        join(switchover);
        if (o.fault() == FaultKind.PATRONI_KILL) {
            lab.orElseThrow().startProcess("patroni-" + oldLeader); // the node comes back: as a replica, if all goes well
        }
        progress.info("Load stopped; waiting for " + oldLeader + " to rejoin as a streaming replica...");
        Long rejoinMs = oldLeader.equals(samples.newLeader) ? null
                : awaitRejoin(statusService, oldLeader, samples.newLeader, faultNanos, o.maxRejoin());

        String newLeader = samples.newLeader;
        MemberSpec fresh = newLeader == null ? null : spec.member(newLeader).orElse(null);
        Set<Long> present = fresh == null ? Set.of() : presentRows(pg, superPassword, spec, fresh, !o.keepTable());

        List<WriteLoad.Ack> acks = load.acks();
        List<WriteLoad.Failure> failures = load.failures();
        long lost = acks.stream().filter(a -> !present.contains(a.seq())).count();
        String newAddress = fresh == null ? null : fresh.host() + ":" + fresh.port();
        String oldAddress = old.host() + ":" + old.port();
        // Clients' outage starts with the first failed write after the fault (backends of a killed postmaster
        // still answer for a few ms); the RTO ends with the first write sent after that and acknowledged by the
        // leader that came after. No failure at all: clients saw no outage.
        long outageStart = failures.stream().mapToLong(WriteLoad.Failure::atNanos).filter(t -> t > faultNanos).min().orElse(faultNanos);
        boolean outage = failures.stream().anyMatch(f -> f.atNanos() > faultNanos);
        Optional<WriteLoad.Ack> firstOnNew = acks.stream().filter(a -> a.member().equals(newAddress) && a.sentNanos() > outageStart)
                .min(Comparator.comparingLong(WriteLoad.Ack::ackNanos));
        boolean changed = newAddress != null && !newAddress.equals(oldAddress);
        long splitBrain = !changed ? 0 : firstOnNew.map(first -> acks.stream().filter(a -> a.member().equals(oldAddress)
                && a.ackNanos() > first.ackNanos()).count()).orElse(0L);
        Long clientRto = !outage && !changed ? Long.valueOf(0) : firstOnNew.map(a -> ms(a.ackNanos() - faultNanos)).orElse(null);
        Long longestGap = longestGap(load.acksByClient(), faultNanos);
        long[] latencies = acks.stream().mapToLong(a -> a.ackNanos() - a.sentNanos()).sorted().toArray();
        long attempts = acks.size() + failures.size();
        double errorRate = attempts == 0 ? 0 : (double) failures.size() / attempts;
        double seconds = (System.nanoTime() - faultNanos) / 1e9 + o.warmup().toMillis() / 1000.0;

        List<DrillReport.Criterion> criteria = new ArrayList<>();
        criteria.add(new DrillReport.Criterion("a leader accepts writes again", newLeader != null && (changed || sameLeaderMayRecover),
                sameLeaderMayRecover ? "a leader confirmed (the same one may restart)" : "another member confirmed as leader",
                newLeader == null ? "none within the deadline" : newLeader + (changed ? "" : " (restarted in place)")));
        criteria.add(new DrillReport.Criterion("client RTO", clientRto != null && clientRto <= o.maxRto().toMillis(),
                "<= " + o.maxRto().toMillis() + " ms", clientRto == null ? "no write on the new leader" : clientRto + " ms"));
        criteria.add(new DrillReport.Criterion("acknowledged writes lost", lost <= o.maxLostWrites(), "<= " + o.maxLostWrites(),
                lost + " of " + acks.size()));
        criteria.add(new DrillReport.Criterion("no split brain", splitBrain == 0, "0 writes on the old leader after the new one's first",
                Long.toString(splitBrain)));
        criteria.add(new DrillReport.Criterion("error rate", errorRate <= o.maxErrorRate(), "<= " + pct(o.maxErrorRate()), pct(errorRate)));
        double p95 = percentileMs(latencies, 95);
        criteria.add(new DrillReport.Criterion("p95 latency", p95 <= o.maxP95().toMillis(), "<= " + o.maxP95().toMillis() + " ms",
                String.format(java.util.Locale.ROOT, "%.1f ms", p95)));
        if (changed) {
            criteria.add(new DrillReport.Criterion("old leader rejoins as a streaming replica", rejoinMs != null,
                    "within " + o.maxRejoin().toMillis() + " ms", rejoinMs == null ? "not within the deadline" : rejoinMs + " ms"));
        }

        return new DrillReport(spec.name(), o.fault().option(), oldLeader, newLeader, faultAt, o.clients(), o.loadAfterFault(),
                samples.detection, samples.newKey, samples.writable, samples.haproxy, clientRto, longestGap, acks.size(), failures.size(),
                errorRate, percentileMs(latencies, 50), p95, percentileMs(latencies, 100), present.size(), lost,
                null, splitBrain, rejoinMs,
                acks.size() / Math.max(0.001, seconds), criteria, SAMPLE_MS);
    }

    private Thread applyFault(FaultKind fault, Optional<Lab> lab, MemberSpec old, String oldLeader) {
        switch (fault) {
            case POSTMASTER_KILL -> lab.orElseThrow().stopProcess("postgres-" + oldLeader, true);
            case PATRONI_KILL -> {
                lab.orElseThrow().stopProcess("patroni-" + oldLeader, true);
                lab.orElseThrow().stopProcess("postgres-" + oldLeader, true);
            }
            case SWITCHOVER -> {
                // Patroni answers once the switchover is done; the sampler measures meanwhile
                Thread t = new Thread(() -> {
                    try (Http http = new Http(Duration.ofSeconds(1), Duration.ofSeconds(60))) {
                        PatroniClient.authenticated(http, cluster.spec(), secrets).switchover(old, oldLeader, null, null);
                    } catch (ConnectError e) {
                        progress.warn("switchover request: " + e.getMessage());
                    }
                }, "drill-switchover");
                t.start();
                return t;
            }
        }
        return null;
    }

    /** First times from the fault, in ms, sampled every 50 ms. */
    private static final class Samples {
        Long detection;
        Long newKey;
        Long writable;
        Long haproxy;
        String newLeader;
    }

    private Samples sample(ClusterSpec spec, PgConnector pg, String password, MemberSpec old, long faultNanos, Duration deadline,
                           boolean sameLeaderMayRecover) {
        Samples s = new Samples();
        String leaderKey = PatroniKeys.of(spec.patroni()).leader();
        long end = faultNanos + deadline.toNanos();
        try (Http http = new Http(Duration.ofMillis(500), Duration.ofSeconds(1))) {
            EtcdGateway etcd = new EtcdGateway(http);
            PatroniClient patroni = new PatroniClient(http);
            while (System.nanoTime() < end && s.haproxy == null) {
                long tick = System.nanoTime();
                try {
                    Optional<EtcdGateway.KeyValue> key = firstEtcd(spec, etcd, leaderKey);
                    if (s.detection == null && (key.isEmpty() || !key.get().value().equals(old.name()))) {
                        s.detection = ms(tick - faultNanos);
                    }
                    if (s.newKey == null && key.isPresent() && !key.get().value().equals(old.name())) {
                        s.newKey = ms(tick - faultNanos);
                    }
                } catch (ConnectError ignored) {
                    // etcd busy or down for a moment: the next sample
                }
                if (s.writable == null) {
                    // the old PostgreSQL is dead by now (kill -9 waited for it), so if it answers as primary it was restarted
                    Optional<String> leader = patroniLeader(spec, patroni).filter(l -> sameLeaderMayRecover || !l.equals(old.name()));
                    if (leader.isPresent() && writable(pg, password, spec.member(leader.get()).orElseThrow())) {
                        s.newLeader = leader.get();
                        s.writable = ms(System.nanoTime() - faultNanos);
                    }
                }
                if (s.newLeader != null && reachesThroughHaproxy(pg, password, spec, spec.member(s.newLeader).orElseThrow())) {
                    s.haproxy = ms(System.nanoTime() - faultNanos);
                }
                sleep(Math.max(0, SAMPLE_MS - ms(System.nanoTime() - tick)));
            }
        }
        return s;
    }

    private static Optional<EtcdGateway.KeyValue> firstEtcd(ClusterSpec spec, EtcdGateway etcd, String key) {
        ConnectError last = null;
        for (String endpoint : spec.etcd().endpoints()) {
            try {
                return etcd.get(endpoint, key);
            } catch (ConnectError e) {
                last = e;
            }
        }
        throw last;
    }

    private static Optional<String> patroniLeader(ClusterSpec spec, PatroniClient patroni) {
        for (MemberSpec m : spec.members()) {
            try {
                PatroniCluster c = patroni.cluster(m);
                return c.leader().map(PatroniMember::name);
            } catch (ConnectError e) {
                // that member's Patroni is down, perhaps the one we killed
            }
        }
        return Optional.empty();
    }

    private boolean writable(PgConnector pg, String password, MemberSpec m) {
        try {
            Connection c = pg.connect(superuser(m), password);
            try {
                return !Sql.one(c, "SELECT pg_is_in_recovery()", rs -> rs.getBoolean(1));
            } finally {
                Sql.close(c);
            }
        } catch (ConnectError e) {
            return false;
        }
    }

    private static boolean reachesThroughHaproxy(PgConnector pg, String password, ClusterSpec spec, MemberSpec target) {
        try {
            Connection c = pg.connect(new PgConnector.Endpoint("HAProxy write port", spec.haproxy().host(), spec.haproxy().writePort(),
                    "postgres", spec.postgresql().superuser()), password);
            try {
                return ReplicationQueries.serverAddress(c).equals(target.address());
            } finally {
                Sql.close(c);
            }
        } catch (ConnectError e) {
            return false;
        }
    }

    private Long awaitRejoin(StatusService status, String oldLeader, String newLeader, long faultNanos, Duration maxRejoin) {
        if (newLeader == null) {
            return null;
        }
        long end = System.nanoTime() + maxRejoin.toNanos();
        try (StatusService.Session session = status.openSession()) {
            while (System.nanoTime() < end) {
                ClusterStatus s = session.check();
                Optional<MemberStatus> old = s.members().stream().filter(m -> m.name().equals(oldLeader)).findFirst();
                if (newLeader.equals(s.leader()) && old.isPresent() && Boolean.TRUE.equals(old.get().streaming())) {
                    return ms(System.nanoTime() - faultNanos);
                }
                sleep(200);
            }
        }
        return null;
    }

    private static Set<Long> presentRows(PgConnector pg, String password, ClusterSpec spec, MemberSpec leader, boolean drop) {
        Connection c = pg.connect(new PgConnector.Endpoint("PostgreSQL on " + leader.name(), leader.host(), leader.port(),
                spec.postgresql().database(), spec.postgresql().superuser()), password);
        try {
            Set<Long> present = new HashSet<>(Sql.list(c, "SELECT seq FROM connect_drill", rs -> rs.getLong(1)));
            if (drop) {
                Sql.execute(c, "DROP TABLE connect_drill");
            }
            return present;
        } finally {
            Sql.close(c);
        }
    }

    private static Long longestGap(List<List<WriteLoad.Ack>> byClient, long faultNanos) {
        long longest = -1;
        for (List<WriteLoad.Ack> acks : byClient) {
            long previous = -1;
            for (WriteLoad.Ack a : acks.stream().sorted(Comparator.comparingLong(WriteLoad.Ack::ackNanos)).toList()) {
                if (previous >= 0 && a.ackNanos() > faultNanos - 1_000_000_000L) {
                    longest = Math.max(longest, a.ackNanos() - previous);
                }
                previous = a.ackNanos();
            }
        }
        return longest < 0 ? null : ms(longest);
    }

    private PgConnector.Endpoint superuser(MemberSpec m) {
        return new PgConnector.Endpoint("PostgreSQL on " + m.name(), m.host(), m.port(), "postgres", cluster.spec().postgresql().superuser());
    }

    private static double percentileMs(long[] sortedNanos, int p) {
        return Math.max(0, io.connectha.measure.Percentile.of(sortedNanos, p)) / 1e6;
    }

    private static String pct(double ratio) {
        return String.format(java.util.Locale.ROOT, "%.2f%%", ratio * 100);
    }

    private static long ms(long nanos) {
        return nanos / 1_000_000;
    }

    private static void join(Thread t) {
        if (t != null) {
            try {
                t.join(70_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConnectError(ConnectError.Kind.FAILURE, "interrupted", e);
        }
    }
}
