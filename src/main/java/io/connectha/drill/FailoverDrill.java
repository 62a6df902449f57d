package io.connectha.drill;

import io.connectha.cluster.ClusterSpec;
import io.connectha.cluster.LoadedCluster;
import io.connectha.cluster.MemberSpec;
import io.connectha.cluster.SecretName;
import io.connectha.cluster.SecretResolver;
import io.connectha.error.ConnectError;
import io.connectha.net.Http;
import io.connectha.patroni.PatroniClient;
import io.connectha.pg.Endpoints;
import io.connectha.pg.PgConnector;
import io.connectha.pg.Sql;
import io.connectha.process.Progress;
import io.connectha.patroni.PatroniService;
import io.connectha.status.ClusterStatus;
import io.connectha.status.LeaderChangePlanner;
import io.connectha.status.PooledSwitchover;
import io.connectha.status.PooledSwitchoverResult;
import io.connectha.status.StatusService;

import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A timed failover drill under load, as orchestration: the shared start (preflight, a fresh table), N
 * writing clients with a ledger of acknowledged writes (and readers, and an HTTP probe), a fault at a
 * recorded instant, the {@link FailoverSampler} until the leader is confirmed and HAProxy routes to it,
 * the fault restored, the recovery watched while the load goes on, then the shared end and verification on
 * the leader. The figures come from {@link WriteLedger}, the pass or fail from {@link FailoverVerdict}.
 * With {@code repeat} it waits for preflight to pass again between runs.
 */
public final class FailoverDrill {

    /** The write path the clients use. */
    public enum Via { haproxy, pgbouncer }

    /**
     * @param seed              what chooses partition-halves' halves; null: a random one, recorded in the report
     * @param faultFor          how long a held fault is held; null: until the leader is settled, at least Patroni's ttl +
     *                          loop_wait, at most --max-rto + 30 s
     * @param leaderSideClients writers straight to the old leader, for faults with a write window
     * @param windowLossBounded --max-lost-writes was given: it bounds lost window writes in asynchronous mode too
     */
    public record Options(FaultKind fault, Via via, int clients, int readers, Duration loadAfterFault, Duration warmup,
                          Duration maxRto, long maxLostWrites, double maxErrorRate, Duration maxP95, Duration maxRejoin,
                          boolean keepTable, String probeUrl, Duration probeInterval, Long seed, Duration faultFor, int leaderSideClients,
                          boolean windowLossBounded, PausePooler pausePooler) {

        public Options(FaultKind fault, Via via, int clients, int readers, Duration loadAfterFault, Duration warmup, Duration maxRto,
                       long maxLostWrites, double maxErrorRate, Duration maxP95, Duration maxRejoin, boolean keepTable, String probeUrl,
                       Duration probeInterval) {
            this(fault, via, clients, readers, loadAfterFault, warmup, maxRto, maxLostWrites, maxErrorRate, maxP95, maxRejoin, keepTable,
                    probeUrl, probeInterval, null, null, DEFAULT_LEADER_SIDE_CLIENTS, false, null);
        }

        /** The same options, the switchover made with PgBouncer paused (switchover --pause-pooler). */
        public Options pausingPooler(PausePooler p) {
            return new Options(fault, via, clients, readers, loadAfterFault, warmup, maxRto, maxLostWrites, maxErrorRate, maxP95, maxRejoin,
                    keepTable, probeUrl, probeInterval, seed, faultFor, leaderSideClients, windowLossBounded, p);
        }

        FailoverVerdict.Thresholds thresholds() {
            return new FailoverVerdict.Thresholds(maxRto, maxLostWrites, maxErrorRate, maxP95, maxRejoin, windowLossBounded);
        }

        /** The same options with what held faults add: the seed, how long to hold, the leader-side writers. */
        public Options held(Long s, Duration holdFor, int sideClients, boolean lossBounded) {
            return new Options(fault, via, clients, readers, loadAfterFault, warmup, maxRto, maxLostWrites, maxErrorRate, maxP95, maxRejoin,
                    keepTable, probeUrl, probeInterval, s, holdFor, sideClients, lossBounded, pausePooler);
        }

        /** The same options with this seed: what the run records, so that it can be repeated. */
        Options withSeed(long s) {
            return new Options(fault, via, clients, readers, loadAfterFault, warmup, maxRto, maxLostWrites, maxErrorRate, maxP95, maxRejoin,
                    keepTable, probeUrl, probeInterval, s, faultFor, leaderSideClients, windowLossBounded, pausePooler);
        }
    }

    /** --pause-pooler's settings: how long PAUSE may wait for running transactions; whether HAProxy is steered after the promotion. */
    public record PausePooler(Duration pauseTimeout, PooledSwitchover.Steer steer) {
    }

    /** --leader-side-clients' default. */
    public static final int DEFAULT_LEADER_SIDE_CLIENTS = 2;

    private static final String TABLE = "connect_drill";
    private static final String COLUMNS = "seq bigint PRIMARY KEY, client int NOT NULL";

    private final SecretResolver secrets;
    private final Progress progress;
    private final ClusterSpec spec;
    private final Path clusterFile;
    private final PgConnector pg = new PgConnector(Duration.ofSeconds(1), Duration.ofSeconds(2));
    private final StatusService status;
    private final LoadedCluster cluster;

    public FailoverDrill(LoadedCluster cluster, SecretResolver secrets, Progress progress) {
        this.cluster = cluster;
        this.secrets = secrets;
        this.progress = progress;
        this.spec = cluster.spec();
        this.clusterFile = cluster.file();
        this.status = DrillSteps.statusService(cluster, secrets);
    }

    /** How the drill will act on processes: refuses, before anything happens, when it cannot know whose they are. */
    public Optional<FaultInjector> faults(FaultKind fault) {
        Optional<FaultInjector> faults = FaultInjector.forCluster(spec, clusterFile, progress);
        if (fault.killsProcesses() && faults.isEmpty()) {
            throw ConnectError.invalidInput("--fault " + fault.option() + " kills processes, so it needs a lab's cluster file "
                    + "(connect ha lab up) or a drill_fault_command in the cluster file; otherwise use --fault switchover");
        }
        if (spec.drillFaultCommand() != null && fault.killsProcesses() && !FaultInjector.executable(spec.drillFaultCommand())) {
            throw ConnectError.invalidInput("drill_fault_command " + spec.drillFaultCommand() + " is not an executable file");
        }
        Optional<String> cannot = faults.flatMap(f -> f.cannot(fault));
        if (cannot.isPresent()) {
            throw ConnectError.invalidInput(cannot.get());
        }
        if (fault.partitions() && faults.isPresent() && !faults.get().partitions()) {
            throw ConnectError.invalidInput("--fault " + fault.option() + " cuts the network between hosts, so it needs a lab in network "
                    + "namespaces (lab up --network namespaces) or a drill_fault_command");
        }
        if (fault.target() == FaultKind.Target.ETCD_LEADER && spec.etcd().members().size() < 3) {
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
        DrillSteps.Start start = DrillSteps.start(status, pg, spec, secrets, progress, TABLE, COLUMNS);
        ClusterStatus before = start.before();
        String oldLeader = start.oldLeader();
        MemberSpec old = spec.member(oldLeader).orElseThrow();
        Long seed = o.fault().target() == FaultKind.Target.HALF ? (o.seed() != null ? o.seed() : new Random().nextLong()) : null;
        String target = target(o.fault(), before, oldLeader, seed);
        if (seed != null) {
            progress.info("Seed " + seed + " (--seed " + seed + " repeats it): " + target + " on one side.");
        }
        DrillLookups lookups = new DrillLookups(spec, secrets, pg, progress);
        Setting setting = new Setting(lookups.configuration(o, old, faults), lookups.versions(old, before));
        String appPassword = secrets.password(SecretName.app);
        boolean window = FailoverVerdict.expect(o.fault()).writeWindow();
        int leaderSideClients = window ? o.leaderSideClients() : 0;

        try (DrillGuard guard = new DrillGuard(progress)) {
            guard.onAbort("drop the drill table", () -> dropTable(appPassword));
            guard.onAbort("wait until the cluster is healthy", () -> Preflight.await(status, o.maxRejoin(), progress));

            // a client held by a paused PgBouncer waits as long as the pause: it must not time out meanwhile
            PgConnector writersPg = o.pausePooler() == null ? pg : new PgConnector(pg.connectTimeout(), o.maxRto());
            String candidate = o.pausePooler() == null ? null : pooledCandidate(oldLeader);
            FailoverLoad load = new FailoverLoad(writersPg, spec, o.via(), appPassword, o.probeUrl(), o.probeInterval());
            if (leaderSideClients > 0) {
                // on the old leader's side of a partition, as an application on its host would be
                PgConnector side = faults.flatMap(FaultInjector::leaderSideClientAddress).map(pg::boundTo).orElse(pg);
                load.leaderSide(side, Endpoints.member(spec, old, spec.postgresql().database(), spec.postgresql().appUser()), appPassword,
                        leaderSideClients);
            }
            load.start(o.clients(), o.readers());
            guard.onAbort("stop the load", load::stop);
            sleep(o.warmup());

            long faultNanos = System.nanoTime();
            Instant faultAt = Instant.now();
            progress.info("Fault: " + o.fault().option() + " on " + target + " at " + faultAt);
            if (o.fault().killsProcesses()) {
                guard.onAbort("put back what " + o.fault().option() + " stopped on " + target,
                        () -> faults.orElseThrow().restore(o.fault(), target));
            }
            FaultHold hold = o.fault().held() ? new FaultHold(o.fault(), faults, target, faultNanos, o.faultFor(),
                    minHold(setting.configuration()), o.maxRto().plusSeconds(30), progress) : FaultHold.notHeld(o.fault(), faultNanos);
            AtomicBoolean applied = new AtomicBoolean();
            AtomicReference<String> faultError = new AtomicReference<>();
            AtomicReference<PooledSwitchoverResult> pooled = new AtomicReference<>();
            Thread fault = o.pausePooler() == null ? applyFault(o.fault(), faults, old, target, applied, faultError, hold)
                    : applyPooledSwitchover(o.pausePooler(), oldLeader, candidate, applied, faultError, pooled, hold);
            FaultStatusWatch watch = o.fault().held() ? new FaultStatusWatch(status, DrillSteps.statusDeadline(), faultNanos,
                    statusDelay(o.faultFor()), hold, namesInStatus(target)) : null;

            FailoverSampler sampler = new FailoverSampler(spec, secrets.password(SecretName.superuser), faultNanos);
            FailoverSampler.Phases phases = sampler.phases(old, target, o.fault(), o.maxRto().plusSeconds(30), applied, hold);
            // the node comes back as soon as the fault has done its work (the leader is settled): as a replica, if all goes well
            join(fault);
            if (o.fault().held()) {
                hold.restoreNow();
            } else if (o.fault().killsProcesses()) {
                faults.orElseThrow().restore(o.fault(), target);
            }
            DrillReport.StatusDuringFault during = watch == null ? null : watch.result();
            String newLeader = phases.newLeader();
            boolean changed = newLeader != null && !newLeader.equals(oldLeader);
            progress.info("Leader " + (newLeader == null ? "not confirmed" : newLeader) + "; watching " + (changed ? oldLeader
                    + " rejoin and " : "") + "the cluster recover while the load goes on...");

            // the load runs for --duration after the fault, and at least 3 s after the leader is reachable again, so that
            // a failover slower than --duration still gets its first write on the new leader; the rejoin and the cluster's
            // health are watched meanwhile, and after it until --max-rejoin
            long loadUntil = Math.max(faultNanos + o.loadAfterFault().toNanos(), System.nanoTime() + 3_000_000_000L);
            FailoverSampler.Recovery recovery = sampler.recovery(status, oldLeader, changed ? newLeader : null, loadUntil, o.maxRejoin(),
                    load);
            FailoverLoad.Seen seen = load.stop();

            // verified on whoever leads now (the one confirmed after the fault when status names none); the recovery
            // watch has waited for health already
            DrillSteps.End<Set<Long>> end = DrillSteps.end(status, Duration.ZERO, guard, o.keepTable(),
                    after -> leaderAfter(after, newLeader).map(this::presentRows).orElse(Set.of()),
                    after -> leaderAfter(after, newLeader).ifPresent(l -> dropTable(appPassword)));

            DrillReport.Subject subject = new DrillReport.Subject(spec.name(), o.fault(), target, o.via(), faultError.get(), oldLeader,
                    newLeader, faultAt, o.clients());
            Holding holding = o.fault().held() ? new Holding(seed, hold, leaderSideClients, during) : null;
            return report(o, subject, new Observation(phases, recovery, seen, WriteLedger.of(seen.writes(), faultNanos), end.verified()),
                    lookups, setting, holding, pooled.get());
        }
    }

    /**
     * Who the fault hits, by its kind's target: the leader; the first streaming replica by name; a seeded random half of the
     * member hosts; etcd's raft leader; or a majority of the etcd members.
     */
    private String target(FaultKind kind, ClusterStatus before, String oldLeader, Long seed) {
        return switch (kind.target()) {
            case LEADER -> oldLeader;
            case REPLICA -> FaultTargets.replica(before.members().stream().filter(m -> !m.name().equals(oldLeader)
                    && Boolean.TRUE.equals(m.streaming())).map(m -> m.name()).toList(), kind.option());
            case HALF -> FaultTargets.halves(spec.members().stream().map(MemberSpec::name).toList(), seed);
            case ETCD_LEADER -> DrillLookups.etcdRaftLeader(before);
            case ETCD_MAJORITY -> FaultTargets.etcdMajority(spec.etcd().members().stream().map(e -> e.name()).toList());
        };
    }

    /** The target's names as status may say them: a member by its name, an etcd member by its name or its client URL. */
    private List<String> namesInStatus(String target) {
        List<String> names = new ArrayList<>(FaultInjector.names(target));
        spec.etcd().members().stream().filter(e -> names.contains(e.name())).forEach(e -> names.add(e.clientUrl()));
        return names;
    }

    /** The least a held fault lasts by default: Patroni's ttl + loop_wait as it runs them, the time it may take to act. */
    static Duration minHold(DrillReport.Configuration c) {
        int ttl = c.ttlSeconds() == null ? 30 : c.ttlSeconds();
        int loopWait = c.loopWaitSeconds() == null ? 10 : c.loopWaitSeconds();
        return Duration.ofSeconds(ttl + loopWait);
    }

    /** When status is asked during a held fault: 3 s in, or earlier when --fault-for is short, so that it is still held. */
    static Duration statusDelay(Duration faultFor) {
        Duration usual = Duration.ofSeconds(3);
        return faultFor == null || faultFor.dividedBy(3).compareTo(usual) >= 0 ? usual : faultFor.dividedBy(3);
    }

    /** What a held fault adds to the observation: the seed, the hold and its restore, the leader-side writers, status. */
    private record Holding(Long seed, FaultHold hold, int leaderSideClients, DrillReport.StatusDuringFault status) {
    }

    /** What the report records about the set-up, looked up before the fault. */
    private record Setting(DrillReport.Configuration configuration, DrillReport.Versions versions) {
    }

    /** Everything observed: the phases, the recovery, what the load saw and its ledger, the rows on the leader afterwards. */
    private record Observation(FailoverSampler.Phases phases, FailoverSampler.Recovery recovery, FailoverLoad.Seen seen, WriteLedger ledger,
                               Set<Long> present) {
    }

    /** The figures worked out, then judged. */
    private DrillReport report(Options o, DrillReport.Subject subject, Observation observed, DrillLookups lookups, Setting setting,
                               Holding holding, PooledSwitchoverResult pooledResult) {
        FailoverSampler.Phases phases = observed.phases();
        FailoverSampler.Recovery recovery = observed.recovery();
        WriteLedger ledger = observed.ledger();
        Set<Long> present = observed.present();
        MemberSpec fresh = subject.newLeader() == null ? null : spec.member(subject.newLeader()).orElse(null);
        String newAddress = fresh == null ? null : fresh.address();
        String oldAddress = spec.member(subject.oldLeader()).orElseThrow().address();
        List<WriteLoad.Ack> lost = ledger.lost(present);
        Long restoredNanos = holding == null ? null : holding.hold().restoredNanos();
        // no leader takes writes while etcd is gone: the RTO ends with the first write acknowledged after the heal
        Duration clientRto = subject.fault() == FaultKind.DCS_OUTAGE && restoredNanos != null
                ? ledger.clientRto(oldAddress, newAddress, restoredNanos) : ledger.clientRto(oldAddress, newAddress);
        long splitBrain = ledger.splitBrainWrites(oldAddress, newAddress);

        DrillReport.Timeline timeline = new DrillReport.Timeline(phases.detection(), phases.newLeaderKey(), phases.writable(),
                phases.haproxy(), phases.etcdLeader(), clientRto, ledger.longestGap(), recovery.rejoin(), recovery.healthy(),
                Duration.ofMillis(Drills.SAMPLE_MS));
        DrillReport.Writes writes = new DrillReport.Writes(ledger.acks().size(), ledger.failures().size(), ledger.errorRate(),
                ledger.latency(50), ledger.latency(95), ledger.latency(100),
                ledger.acks().size() / Math.max(0.001, observed.seen().ran().toNanos() / 1e9));
        DrillReport.Data data = new DrillReport.Data(present.size(), lost.size(), lookups.rpoBytes(lost, fresh), splitBrain);

        HttpProbe.Result probed = observed.seen().probe();
        Boolean synchronous = setting.configuration().synchronousMode();
        DrillReport.Held held = null;
        FailoverVerdict.Window judgedWindow = null;
        if (holding != null) {
            DrillReport.WriteWindow window = null;
            if (FailoverVerdict.expect(subject.fault()).writeWindow()) {
                WriteLedger.Window w = ledger.window(observed.seen().leaderSideAcks(), oldAddress, newAddress, restoredNanos, present);
                window = new DrillReport.WriteWindow(w.length(ledger.faultNanos()), w.writes(), w.survived(), w.lost(), w.lostWalBytes(),
                        synchronous);
                judgedWindow = new FailoverVerdict.Window(w.lost(), synchronous);
            }
            held = new DrillReport.Held(holding.seed(), o.faultFor(), holding.hold().restoredAt(), holding.hold().heldFor(),
                    holding.leaderSideClients(), window, holding.status());
        }

        DrillReport.Pooler pooler = o.pausePooler() == null ? null : pooler(o.pausePooler(), pooledResult);
        FailoverVerdict verdict = FailoverVerdict.judge(new FailoverVerdict.Observed(subject.fault(), subject.faultError() == null,
                subject.oldLeader(), subject.newLeader(), timeline.etcdLeader(), clientRto, lost.size(), splitBrain, writes.errorRate(),
                writes.latencyP95(), timeline.rejoin(), timeline.healthy(),
                probed == null ? null : new FailoverVerdict.Probes(probed.probes(), probed.failed()), judgedWindow,
                pooler == null ? null : new FailoverVerdict.Pooled(writes.failed(), timeline.longestGap(), pooler.promotion())), o.thresholds());
        return new DrillReport(subject, timeline, writes, data, observed.seen().reads(o.readers()), observed.seen().probeReport(o.probeInterval()),
                verdict, setting.configuration(), setting.versions(), held, pooler);
    }

    /** Applies the fault in its own thread, so that sampling starts at the fault's instant, not when it returns. */
    private Thread applyFault(FaultKind kind, Optional<FaultInjector> faults, MemberSpec old, String target, AtomicBoolean applied,
                              AtomicReference<String> error, FaultHold hold) {
        Thread t = new Thread(() -> {
            try {
                // a switchover returns once done; the sampler measures meanwhile
                error.set(FaultAction.apply(kind, faults, old, target, spec, secrets, progress));
            } finally {
                hold.applied(System.nanoTime());
                applied.set(true);
            }
        }, "drill-fault");
        t.start();
        return t;
    }

    /** The member the paused switchover hands the leader role to, chosen and checked as {@code patroni switchover} does. */
    private String pooledCandidate(String oldLeader) {
        try (PatroniService patroni = new PatroniService(cluster, secrets, Duration.ofSeconds(1), Duration.ofSeconds(2))) {
            return LeaderChangePlanner.plan(patroni, "switchover", oldLeader, null)[1];
        }
    }

    /** As {@link #applyFault}, the switchover made by {@link PooledSwitchover}: PgBouncer paused while the leader moves. */
    private Thread applyPooledSwitchover(PausePooler p, String oldLeader, String candidate, AtomicBoolean applied,
                                         AtomicReference<String> error, AtomicReference<PooledSwitchoverResult> result, FaultHold hold) {
        Thread t = new Thread(() -> {
            try (PatroniService patroni = new PatroniService(cluster, secrets, Duration.ofSeconds(1), Duration.ofSeconds(2))) {
                result.set(new PooledSwitchover(patroni, progress, progress::warn).run(oldLeader, candidate,
                        new PooledSwitchover.Options(p.pauseTimeout(), Duration.ofSeconds(60), p.steer())));
            } catch (RuntimeException e) {
                progress.warn("switchover --pause-pooler: " + e.getMessage());
                error.set(e.getMessage());
            } finally {
                hold.applied(System.nanoTime());
                applied.set(true);
            }
        }, "drill-fault");
        t.start();
        return t;
    }

    /** The pause's figures from the switchover's phases; only the settings when it failed before reporting any. */
    static DrillReport.Pooler pooler(PausePooler p, PooledSwitchoverResult r) {
        if (r == null) {
            return new DrillReport.Pooler(List.of(), p.pauseTimeout(), p.steer() == PooledSwitchover.Steer.always, null, null, null, null, null, null);
        }
        java.util.Map<String, Duration> took = new java.util.HashMap<>();
        r.phases().forEach(f -> took.put(f.name(), f.took()));
        return new DrillReport.Pooler(r.pooler().databases(), p.pauseTimeout(), r.steering() != null || took.get("steer") != null, took.get("pause"), took.get("switchover"),
                took.get("steer"), took.get("path"), took.get("resume"), r.pooler().paused());
    }

    private Optional<MemberSpec> leaderAfter(ClusterStatus after, String newLeader) {
        String leader = after.leader() != null ? after.leader() : newLeader;
        return leader == null ? Optional.empty() : spec.member(leader);
    }

    private Set<Long> presentRows(MemberSpec leader) {
        Connection c = pg.connect(Endpoints.member(spec, leader, spec.postgresql().database(), spec.postgresql().superuser()),
                secrets.password(SecretName.superuser));
        try {
            return new HashSet<>(Sql.list(c, "SELECT seq FROM " + TABLE, rs -> rs.getLong(1)));
        } finally {
            Sql.close(c);
        }
    }

    /** As the application, which owns the table, through the write port: the path the drill's writes took. */
    private void dropTable(String appPassword) {
        Connection c = pg.connect(DrillSteps.writePort(spec), appPassword);
        try {
            Sql.execute(c, "DROP TABLE IF EXISTS " + TABLE);
        } finally {
            Sql.close(c);
        }
    }

    private static void sleep(Duration d) {
        Drills.sleep(d.toMillis());
    }

    private static void join(Thread t) {
        try {
            t.join(70_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
