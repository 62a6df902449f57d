package io.connectha.drill;

import com.fasterxml.jackson.databind.JsonNode;
import io.connectha.BuildInfo;
import io.connectha.cluster.ClusterSpec;
import io.connectha.cluster.EtcdSpec;
import io.connectha.cluster.LoadedCluster;
import io.connectha.cluster.MemberSpec;
import io.connectha.cluster.PgbouncerSpec;
import io.connectha.cluster.SecretName;
import io.connectha.cluster.SecretResolver;
import io.connectha.error.ConnectError;
import io.connectha.net.Http;
import io.connectha.patroni.PatroniClient;
import io.connectha.pg.PgConnector;
import io.connectha.pg.Sql;
import io.connectha.process.Progress;
import io.connectha.status.ClusterStatus;
import io.connectha.status.StatusService;

import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static io.connectha.drill.Drills.SAMPLE_MS;
import static io.connectha.drill.Drills.ms;
import static io.connectha.drill.Drills.sleep;

/**
 * A timed failover drill under load: preflight, N writing clients with a ledger of acknowledged
 * writes (and readers, and an HTTP probe), a fault at a recorded instant, sampling every 50 ms until the
 * leader is confirmed and HAProxy routes to it, then verification on the leader: every acknowledged
 * write present, no member writing after another took over, the old leader streaming again, the
 * cluster healthy. With {@code repeat} it waits for preflight to pass again between runs.
 */
public final class FailoverDrill {

    /** The write path the clients use. */
    public enum Via { haproxy, pgbouncer }

    public record Options(FaultKind fault, Via via, int clients, int readers, Duration loadAfterFault, Duration warmup,
                          Duration maxRto, long maxLostWrites, double maxErrorRate, Duration maxP95, Duration maxRejoin,
                          boolean keepTable, String probeUrl, Duration probeInterval) {
    }

    private static final String TABLE = "connect_drill";

    private final LoadedCluster cluster;
    private final SecretResolver secrets;
    private final Progress progress;
    private final ClusterSpec spec;
    private final PgConnector pg = new PgConnector(Duration.ofSeconds(1), Duration.ofSeconds(2));
    private final StatusService status;

    public FailoverDrill(LoadedCluster cluster, SecretResolver secrets, Progress progress) {
        this.cluster = cluster;
        this.secrets = secrets;
        this.progress = progress;
        this.spec = cluster.spec();
        this.status = new StatusService(cluster, secrets, new StatusService.Options(Duration.ofSeconds(1), Duration.ofSeconds(2),
                spec.patroni().maximumLagOnFailover().bytes()));
    }

    /** How the drill will act on processes: refuses, before anything happens, when it cannot know whose they are. */
    public Optional<FaultInjector> faults(FaultKind fault) {
        Optional<FaultInjector> faults = FaultInjector.forCluster(spec, cluster.file(), progress);
        if (fault.killsProcesses() && faults.isEmpty()) {
            throw ConnectError.invalidInput("--fault " + fault.option() + " kills processes, so it needs a lab's cluster file "
                    + "(connect ha lab up) or a drill_fault_command in the cluster file; otherwise use --fault switchover");
        }
        if (spec.drillFaultCommand() != null && fault.killsProcesses() && !FaultInjector.executable(spec.drillFaultCommand())) {
            throw ConnectError.invalidInput("drill_fault_command " + spec.drillFaultCommand() + " is not an executable file");
        }
        if (fault.hitsEtcd() && spec.etcd().members().size() < 3) {
            throw ConnectError.invalidInput("--fault " + fault.option() + " needs 3 etcd members (this cluster has "
                    + spec.etcd().members().size() + "): killing the only one would stop the whole cluster");
        }
        return faults;
    }

    /** {@code repeat} runs, each after preflight passes again. */
    public DrillSeries repeat(Options o, int repeat) {
        List<DrillReport> runs = new ArrayList<>();
        for (int i = 1; i <= repeat; i++) {
            if (i > 1) {
                progress.info("Run " + i + " of " + repeat + ": waiting for preflight to pass again...");
                Preflight.await(status, o.maxRejoin().plusSeconds(60), progress);
            }
            runs.add(run(o));
        }
        return DrillSeries.of(runs);
    }

    public DrillReport run(Options o) {
        Optional<FaultInjector> faults = faults(o.fault());
        ClusterStatus before = Preflight.require(status);
        String oldLeader = before.leader();
        MemberSpec old = spec.member(oldLeader).orElseThrow();
        String target = o.fault().hitsEtcd() ? etcdRaftLeader(before) : oldLeader;
        progress.info("Preflight passed: leader " + oldLeader + ", every replica streaming, HAProxy routes writes to it.");
        DrillReport.Configuration configuration = configuration(o, old, faults);
        DrillReport.Versions versions = versions(old, before);

        String appPassword = secrets.password(SecretName.app);
        String superPassword = secrets.password(SecretName.superuser);
        PgConnector.Endpoint haproxyWrite = new PgConnector.Endpoint("HAProxy write port", spec.haproxy().host(), spec.haproxy().writePort(),
                spec.postgresql().database(), spec.postgresql().appUser());
        execute(haproxyWrite, appPassword, "DROP TABLE IF EXISTS " + TABLE, "CREATE TABLE " + TABLE + " (seq bigint PRIMARY KEY, client int NOT NULL)");

        try (DrillGuard guard = new DrillGuard(progress)) {
            guard.onAbort("drop the drill table", () -> dropTable(appPassword));
            guard.onAbort("wait until the cluster is healthy", () -> Preflight.await(status, o.maxRejoin(), progress));

            WriteLoad load = writers(o.via(), appPassword);
            ReadLoad readers = new ReadLoad(pg, new PgConnector.Endpoint("HAProxy read port", spec.haproxy().host(),
                    spec.haproxy().readPort(), spec.postgresql().database(), spec.postgresql().appUser()), appPassword);
            HttpProbe probe = o.probeUrl() == null ? null : new HttpProbe(o.probeUrl(), o.probeInterval());
            load.start(o.clients());
            readers.start(o.readers());
            if (probe != null) {
                probe.start();
            }
            guard.onAbort("stop the load", () -> {
                load.stop();
                readers.stop();
                if (probe != null) {
                    probe.stop();
                }
            });
            long loadStart = System.nanoTime();
            sleep(o.warmup().toMillis());

            long faultNanos = System.nanoTime();
            Instant faultAt = Instant.now();
            progress.info("Fault: " + o.fault().option() + " on " + target + " at " + faultAt);
            if (o.fault().killsProcesses()) {
                guard.onAbort("put back what " + o.fault().option() + " stopped on " + target,
                        () -> faults.orElseThrow().restore(o.fault(), target));
            }
            AtomicBoolean applied = new AtomicBoolean();
            AtomicReference<String> faultError = new AtomicReference<>();
            Thread fault = applyFault(o.fault(), faults, old, target, applied, faultError);

            Samples samples = sample(superPassword, old, target, o.fault(), faultNanos, o.maxRto().plusSeconds(30), applied);
            // the node comes back as soon as the fault has done its work (the leader is settled): as a replica, if all goes well
            join(fault);
            if (o.fault().killsProcesses()) {
                faults.orElseThrow().restore(o.fault(), target);
            }
            String newLeader = samples.newLeader;
            boolean changed = newLeader != null && !newLeader.equals(oldLeader);
            progress.info("Leader " + (newLeader == null ? "not confirmed" : newLeader) + "; watching " + (changed ? oldLeader
                    + " rejoin and " : "") + "the cluster recover while the load goes on...");

            // the load runs for --duration after the fault, and at least 3 s after the leader is reachable again, so that
            // a failover slower than --duration still gets its first write on the new leader; the rejoin and the cluster's
            // health are watched meanwhile, and after it until --max-rejoin
            long loadUntil = Math.max(faultNanos + o.loadAfterFault().toNanos(), System.nanoTime() + 3_000_000_000L);
            Recovery recovery = new Recovery(oldLeader, changed ? newLeader : null, faultNanos);
            long watchUntil = System.nanoTime() + o.maxRejoin().toNanos();
            boolean loadRunning = true;
            ReadLoad.Result reads = null;
            HttpProbe.Result probed = null;
            double seconds = 0;
            try (StatusService.Session session = status.openSession()) {
                while (true) {
                    long now = System.nanoTime();
                    if (loadRunning && now >= loadUntil) {
                        load.stop();
                        reads = readers.stop();
                        probed = probe == null ? null : probe.stop();
                        seconds = (System.nanoTime() - loadStart) / 1e9;
                        loadRunning = false;
                    }
                    boolean watching = now < watchUntil && !recovery.done();
                    if (!loadRunning && !watching) {
                        break;
                    }
                    if (watching) {
                        recovery.observe(session.check());
                    }
                    sleep(200);
                }
            }
            Long rejoinMs = recovery.rejoinMs;
            Long healthyMs = recovery.healthyMs;

            ClusterStatus after = status.check();
            String verifyOn = after.leader() != null ? after.leader() : newLeader;
            MemberSpec leaderAfter = verifyOn == null ? null : spec.member(verifyOn).orElse(null);
            Set<Long> present = leaderAfter == null ? Set.of() : presentRows(superPassword, leaderAfter);
            if (!o.keepTable() && leaderAfter != null) {
                dropTable(appPassword);
            }
            guard.completed();

            return report(o, configuration, versions, target, faultAt, faultNanos, faultError.get(), old, newLeader, samples, load,
                    present, rejoinMs, healthyMs, seconds, reads, probed);
        }
    }

    private DrillReport report(Options o, DrillReport.Configuration configuration, DrillReport.Versions versions, String target,
                               Instant faultAt, long faultNanos, String faultError, MemberSpec old, String newLeader, Samples samples,
                               WriteLoad load, Set<Long> present, Long rejoinMs, Long healthyMs, double seconds,
                               ReadLoad.Result reads, HttpProbe.Result probed) {
        List<WriteLoad.Ack> acks = load.acks();
        List<WriteLoad.Failure> failures = load.failures();
        List<WriteLoad.Ack> lostAcks = acks.stream().filter(a -> !present.contains(a.seq())).toList();
        long lost = lostAcks.size();
        MemberSpec fresh = newLeader == null ? null : spec.member(newLeader).orElse(null);
        String newAddress = fresh == null ? null : fresh.address();
        String oldAddress = old.address();
        boolean changed = newAddress != null && !newAddress.equals(oldAddress);
        boolean mayStay = o.fault().leaderMayStay();
        // Clients' outage starts with the first failed write after the fault. The RTO ends with the acknowledgement
        // that closes the longest stretch after the fault in which no client got any: backends of a killed
        // postmaster still answer for a few ms, so the first acknowledgement after the first failure may come
        // before the outage rather than after it. No failure at all: clients saw no outage.
        boolean outage = failures.stream().anyMatch(f -> f.atNanos() > faultNanos);
        long outageStart = failures.stream().mapToLong(WriteLoad.Failure::atNanos).filter(t -> t > faultNanos).min().orElse(faultNanos);
        Optional<WriteLoad.Ack> firstOnNew = acks.stream().filter(a -> a.member().equals(newAddress) && a.sentNanos() > outageStart)
                .min(Comparator.comparingLong(WriteLoad.Ack::ackNanos));
        long splitBrain = !changed ? 0 : firstOnNew.map(first -> acks.stream().filter(a -> a.member().equals(oldAddress)
                && a.ackNanos() > first.ackNanos()).count()).orElse(0L);
        Long clientRto = !outage && !changed ? Long.valueOf(0)
                : firstOnNew.isEmpty() ? null : ms(Math.max(endOfLongestSilence(acks, faultNanos), firstOnNew.get().ackNanos()) - faultNanos);
        long[] latencies = acks.stream().mapToLong(a -> a.ackNanos() - a.sentNanos()).sorted().toArray();
        long attempts = acks.size() + failures.size();
        double errorRate = attempts == 0 ? 0 : (double) failures.size() / attempts;
        Long rpoBytes = lost == 0 ? Long.valueOf(0) : rpoBytes(lostAcks, fresh);

        List<DrillReport.Criterion> c = new ArrayList<>();
        c.add(new DrillReport.Criterion("fault applied", faultError == null, o.fault().option() + " on " + target,
                faultError == null ? "applied" : faultError));
        c.add(new DrillReport.Criterion("a leader accepts writes again", newLeader != null && (changed || mayStay),
                mayStay ? "a leader confirmed (the same one may stay)" : "another member confirmed as leader",
                newLeader == null ? "none within the deadline" : newLeader + (changed ? "" : " (the same leader)")));
        if (o.fault().hitsEtcd()) {
            c.add(new DrillReport.Criterion("etcd elects a new raft leader", samples.etcdLeader != null
                    && samples.etcdLeader <= o.maxRto().toMillis(), "<= " + o.maxRto().toMillis() + " ms", measured(samples.etcdLeader)));
        }
        c.add(new DrillReport.Criterion("client RTO", clientRto != null && clientRto <= o.maxRto().toMillis(),
                "<= " + o.maxRto().toMillis() + " ms", clientRto == null ? "no write on the leader after the fault" : clientRto + " ms"));
        c.add(new DrillReport.Criterion("acknowledged writes lost", lost <= o.maxLostWrites(), "<= " + o.maxLostWrites(),
                lost + " of " + acks.size() + (lost > 0 && rpoBytes != null ? " (>= " + rpoBytes + " bytes of WAL)" : "")));
        c.add(new DrillReport.Criterion("no split brain", splitBrain == 0, "0 writes on the old leader after the new one's first",
                Long.toString(splitBrain)));
        c.add(new DrillReport.Criterion("error rate", errorRate <= o.maxErrorRate(), "<= " + pct(o.maxErrorRate()), pct(errorRate)));
        double p95 = percentileMs(latencies, 95);
        c.add(new DrillReport.Criterion("p95 latency", p95 <= o.maxP95().toMillis(), "<= " + o.maxP95().toMillis() + " ms",
                String.format(Locale.ROOT, "%.1f ms", p95)));
        if (changed) {
            c.add(new DrillReport.Criterion("old leader rejoins as a streaming replica", rejoinMs != null,
                    "within " + o.maxRejoin().toMillis() + " ms", measured(rejoinMs)));
        }
        c.add(new DrillReport.Criterion("cluster healthy again", healthyMs != null, "within " + o.maxRejoin().toMillis() + " ms",
                measured(healthyMs)));
        DrillReport.Probe probe = null;
        if (probed != null) {
            double probeErrors = probed.probes() == 0 ? 1 : (double) probed.failed() / probed.probes();
            c.add(new DrillReport.Criterion("HTTP probe error rate", probeErrors <= o.maxErrorRate(), "<= " + pct(o.maxErrorRate()),
                    pct(probeErrors) + " of " + probed.probes()));
            probe = new DrillReport.Probe(probed.url(), o.probeInterval().toMillis(), probed.probes(), probed.failed(),
                    ms(probed.longestOutageNanos()), probed.lastError());
        }
        long readAttempts = reads.ok() + reads.failed();
        DrillReport.Reads r = new DrillReport.Reads(o.readers(), reads.ok(), reads.failed(),
                readAttempts == 0 ? 0 : (double) reads.failed() / readAttempts, percentileMs(reads.sortedLatencyNanos(), 95),
                ms(reads.longestGapNanos()), reads.byMember());

        return new DrillReport(spec.name(), o.fault().option(), target, o.via().name(), faultError, old.name(), newLeader, faultAt,
                o.clients(), samples.detection, samples.newKey, samples.writable, samples.haproxy, samples.etcdLeader, clientRto,
                longestGap(load.acksByClient(), faultNanos), acks.size(), failures.size(), errorRate, percentileMs(latencies, 50), p95,
                percentileMs(latencies, 100), present.size(), lost, rpoBytes, splitBrain, rejoinMs, healthyMs,
                acks.size() / Math.max(0.001, seconds), r, probe, c, SAMPLE_MS, configuration, versions);
    }

    // ------------------------------------------------------------------ load and fault

    private WriteLoad writers(Via via, String appPassword) {
        if (via == Via.pgbouncer) {
            PgbouncerSpec b = spec.pgbouncer();
            return new WriteLoad(pg, new PgConnector.Endpoint("PgBouncer", b.host(), b.port(), spec.postgresql().database(),
                    spec.postgresql().appUser()), appPassword,
                    b.poolMode() == PgbouncerSpec.PoolMode.session ? PgConnector.Mode.DIRECT : PgConnector.Mode.TRANSACTION_POOLED);
        }
        return new WriteLoad(pg, new PgConnector.Endpoint("HAProxy write port", spec.haproxy().host(), spec.haproxy().writePort(),
                spec.postgresql().database(), spec.postgresql().appUser()), appPassword, PgConnector.Mode.DIRECT);
    }

    /** Applies the fault in its own thread, so that sampling starts at the fault's instant, not when it returns. */
    private Thread applyFault(FaultKind kind, Optional<FaultInjector> faults, MemberSpec old, String target, AtomicBoolean applied,
                              AtomicReference<String> error) {
        Thread t = new Thread(() -> {
            try {
                if (kind == FaultKind.SWITCHOVER) {
                    // Patroni answers once the switchover is done; the sampler measures meanwhile
                    try (Http http = new Http(Duration.ofSeconds(1), Duration.ofSeconds(60))) {
                        PatroniClient.authenticated(http, spec, secrets).switchover(old, old.name(), null, null);
                    }
                } else {
                    faults.orElseThrow().apply(kind, target);
                }
            } catch (RuntimeException e) {
                error.set(e.getMessage());
                progress.warn(kind.option() + ": " + e.getMessage());
            } finally {
                applied.set(true);
            }
        }, "drill-fault");
        t.start();
        return t;
    }

    // ------------------------------------------------------------------ sampling

    /** First times from the fault, in ms, sampled every 50 ms. */
    private static final class Samples {
        Long detection;
        Long newKey;
        Long writable;
        Long haproxy;
        Long etcdLeader;
        String newLeader;
    }

    private Samples sample(String password, MemberSpec old, String target, FaultKind kind, long faultNanos, Duration deadline,
                           AtomicBoolean applied) {
        Samples s = new Samples();
        String killedEtcd = kind.hitsEtcd() ? spec.etcd().members().stream().filter(e -> e.name().equals(target))
                .map(EtcdSpec.EtcdMemberSpec::clientUrl).findFirst().orElse(null) : null;
        long end = faultNanos + deadline.toNanos();
        try (ClusterProbe probe = new ClusterProbe(spec, password)) {
            while (System.nanoTime() < end && (s.haproxy == null || (kind.hitsEtcd() && s.etcdLeader == null))) {
                long tick = System.nanoTime();
                try {
                    Optional<String> holder = probe.leaderKeyHolder();
                    if (s.detection == null && (holder.isEmpty() || !holder.get().equals(old.name()))) {
                        s.detection = ms(tick - faultNanos);
                    }
                    if (s.newKey == null && holder.isPresent() && !holder.get().equals(old.name())) {
                        s.newKey = ms(tick - faultNanos);
                    }
                } catch (ConnectError ignored) {
                    // etcd busy or down for a moment: the next sample
                }
                if (killedEtcd != null && s.etcdLeader == null && probe.raftLeaderOtherThan(killedEtcd)) {
                    s.etcdLeader = ms(System.nanoTime() - faultNanos);
                }
                // a fault that the leader may survive counts only once it has taken effect: pg_ctl stop takes a moment,
                // and the old PostgreSQL answering before it has stopped is not a recovery
                if (s.writable == null && (applied.get() || !kind.leaderMayStay())) {
                    Optional<String> leader = kind.leaderMayStay() ? probe.patroniLeader().filter(l -> probe.node(probe.member(l))
                            .map(n -> !n.inRecovery()).orElse(false)) : probe.writableLeaderOtherThan(old.name());
                    if (leader.isPresent()) {
                        s.newLeader = leader.get();
                        s.writable = ms(System.nanoTime() - faultNanos);
                    }
                }
                if (s.newLeader != null && s.haproxy == null && probe.haproxyWriteReaches().filter(s.newLeader::equals).isPresent()) {
                    s.haproxy = ms(System.nanoTime() - faultNanos);
                }
                sleep(Math.max(0, SAMPLE_MS - ms(System.nanoTime() - tick)));
            }
        }
        return s;
    }

    // ------------------------------------------------------------------ afterwards

    /** The old leader streaming from the new one again, and the whole cluster healthy again: ms from the fault. */
    private static final class Recovery {
        private final String oldLeader;
        private final String newLeader;
        private final long faultNanos;
        Long rejoinMs;
        Long healthyMs;

        Recovery(String oldLeader, String newLeader, long faultNanos) {
            this.oldLeader = oldLeader;
            this.newLeader = newLeader;
            this.faultNanos = faultNanos;
        }

        void observe(ClusterStatus s) {
            long at = ms(System.nanoTime() - faultNanos);
            if (rejoinMs == null && newLeader != null && newLeader.equals(s.leader()) && s.members().stream()
                    .anyMatch(m -> m.name().equals(oldLeader) && Boolean.TRUE.equals(m.streaming()))) {
                rejoinMs = at;
            }
            if (healthyMs == null && s.healthy()) {
                healthyMs = at;
            }
        }

        /** Nothing left to watch: healthy, and rejoined when the leader changed. */
        boolean done() {
            return healthyMs != null && (newLeader == null || rejoinMs != null);
        }
    }

    private Set<Long> presentRows(String password, MemberSpec leader) {
        Connection c = pg.connect(superuser(leader, spec.postgresql().database()), password);
        try {
            return new HashSet<>(Sql.list(c, "SELECT seq FROM " + TABLE, rs -> rs.getLong(1)));
        } finally {
            Sql.close(c);
        }
    }

    /** As the application, which owns the table, through the write port: the path the drill's writes took. */
    private void dropTable(String appPassword) {
        execute(new PgConnector.Endpoint("HAProxy write port", spec.haproxy().host(), spec.haproxy().writePort(),
                spec.postgresql().database(), spec.postgresql().appUser()), appPassword, "DROP TABLE IF EXISTS " + TABLE);
    }

    private void execute(PgConnector.Endpoint endpoint, String password, String... statements) {
        Connection c = pg.connect(endpoint, password);
        try {
            for (String sql : statements) {
                Sql.execute(c, sql);
            }
        } finally {
            Sql.close(c);
        }
    }

    /**
     * RPO in bytes: how far past the new timeline's fork point the old leader had inserted WAL for the last write
     * that was lost (its commit record not counted, so a lower bound). The fork point is the last switch in
     * Patroni's history on the new leader.
     */
    private Long rpoBytes(List<WriteLoad.Ack> lost, MemberSpec newLeader) {
        OptionalLong lastLost = lost.stream().mapToLong(WriteLoad.Ack::lsn).max();
        if (newLeader == null || lastLost.isEmpty()) {
            return null;
        }
        try (Http http = new Http(Duration.ofSeconds(1), Duration.ofSeconds(2))) {
            JsonNode history = new PatroniClient(http).history(newLeader);
            if (!history.isArray() || history.isEmpty()) {
                return null;
            }
            long fork = history.get(history.size() - 1).get(1).asLong();
            return Math.max(0, lastLost.getAsLong() - fork);
        } catch (ConnectError e) {
            progress.warn("RPO in bytes: " + e.getMessage());
            return null;
        }
    }

    // ------------------------------------------------------------------ what the report records about the set-up

    private static String etcdRaftLeader(ClusterStatus before) {
        if (before.etcd() == null || before.etcd().raftLeader() == null) {
            throw new ConnectError(ConnectError.Kind.FAILURE, "preflight failed, no drill: etcd names no raft leader");
        }
        return before.etcd().raftLeader();
    }

    private DrillReport.Configuration configuration(Options o, MemberSpec leader, Optional<FaultInjector> faults) {
        JsonNode dynamic = null;
        try (Http http = new Http(Duration.ofSeconds(1), Duration.ofSeconds(2))) {
            dynamic = new PatroniClient(http).config(leader);
        } catch (ConnectError e) {
            progress.warn("Patroni's dynamic configuration: " + e.getMessage());
        }
        var p = spec.patroni();
        return new DrillReport.Configuration(intOr(dynamic, "ttl", p.ttl()), intOr(dynamic, "loop_wait", p.loopWait()),
                intOr(dynamic, "retry_timeout", p.retryTimeout()),
                dynamic != null && dynamic.has("synchronous_mode") ? dynamic.get("synchronous_mode").asBoolean() : p.synchronousMode(),
                dynamic != null && dynamic.has("maximum_lag_on_failover") ? dynamic.get("maximum_lag_on_failover").asLong()
                        : p.maximumLagOnFailover().bytes(),
                o.clients(), o.readers(), o.warmup().toMillis(), o.loadAfterFault().toMillis(), o.maxRto().toMillis(), o.maxLostWrites(),
                o.maxErrorRate(), o.maxP95().toMillis(), o.maxRejoin().toMillis(),
                faults.map(FaultInjector::describe).orElse("Patroni's REST API"));
    }

    private static Integer intOr(JsonNode dynamic, String field, Integer fallback) {
        return dynamic != null && dynamic.has(field) ? Integer.valueOf(dynamic.get(field).asInt()) : fallback;
    }

    private DrillReport.Versions versions(MemberSpec leader, ClusterStatus before) {
        String postgres = null;
        try {
            Connection c = pg.connect(superuser(leader, "postgres"), secrets.password(SecretName.superuser));
            try {
                postgres = Sql.one(c, "SHOW server_version", rs -> rs.getString(1));
            } finally {
                Sql.close(c);
            }
        } catch (ConnectError e) {
            progress.warn("PostgreSQL's version: " + e.getMessage());
        }
        String patroni = null;
        try (Http http = new Http(Duration.ofSeconds(1), Duration.ofSeconds(2))) {
            patroni = new PatroniClient(http).patroni(leader).path("patroni").path("version").asText(null);
        } catch (ConnectError e) {
            progress.warn("Patroni's version: " + e.getMessage());
        }
        String etcd = before.etcd() == null ? null : before.etcd().endpoints().stream().map(ClusterStatus.EtcdEndpoint::version)
                .filter(v -> v != null).findFirst().orElse(null);
        return new DrillReport.Versions(BuildInfo.version(), postgres, patroni, etcd);
    }

    // ------------------------------------------------------------------ small helpers

    /** The acknowledgement that ends the longest time after the fault in which no client got one. */
    static long endOfLongestSilence(List<WriteLoad.Ack> acks, long faultNanos) {
        long[] times = acks.stream().mapToLong(WriteLoad.Ack::ackNanos).filter(t -> t > faultNanos).sorted().toArray();
        long previous = faultNanos;
        long longest = -1;
        long end = faultNanos;
        for (long t : times) {
            if (t - previous > longest) {
                longest = t - previous;
                end = t;
            }
            previous = t;
        }
        return end;
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

    private PgConnector.Endpoint superuser(MemberSpec m, String database) {
        return new PgConnector.Endpoint("PostgreSQL on " + m.name(), m.host(), m.port(), database, spec.postgresql().superuser());
    }

    private static double percentileMs(long[] sortedNanos, int p) {
        return Math.max(0, io.connectha.units.Percentile.of(sortedNanos, p)) / 1e6;
    }

    private static String pct(double ratio) {
        return String.format(Locale.ROOT, "%.2f%%", ratio * 100);
    }

    private static String measured(Long ms) {
        return ms == null ? "not within the deadline" : ms + " ms";
    }

    private static void join(Thread t) {
        try {
            t.join(70_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
