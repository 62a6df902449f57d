package io.connectha.drill;

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
import io.connectha.pg.Endpoints;
import io.connectha.pg.PgConnector;
import io.connectha.pg.Sql;
import io.connectha.process.Progress;
import io.connectha.status.ClusterStatus;
import io.connectha.status.MemberStatus;
import io.connectha.status.StatusService;

import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * A chaos campaign, as Patroni's Jepsen suite runs one: writing clients under load for the whole campaign, and cycle
 * after cycle one fault drawn (by the seed) from the list, applied to its target, held, restored, and the cluster
 * healed until preflight passes again. At the end the {@link SetChecker} reads the table back from the leader. Ctrl-C
 * puts back the fault in progress, stops the load, waits for the cluster to be healthy and reports what there is.
 */
public final class ChaosCampaign {

    private static final String TABLE = "connect_chaos";
    private static final String COLUMNS = "seq bigint PRIMARY KEY, client int NOT NULL";
    private static final Duration WARMUP = Duration.ofSeconds(2);

    private final SecretResolver secrets;
    private final Progress progress;
    private final ClusterSpec spec;
    private final LoadedCluster cluster;
    private final PgConnector pg = new PgConnector(Duration.ofSeconds(1), Duration.ofSeconds(2));
    private final StatusService status;

    /** The fault being held, for Ctrl-C to put back; null between faults. Guarded by {@code this}. */
    private Active active;
    private volatile boolean stopping;
    /** The cycle under way, as far as it got: what a report made on Ctrl-C shows of it. */
    private volatile Run underWay;
    private ChaosReport finished;

    private record Active(FaultKind kind, String target, Optional<FaultInjector> faults, Thread applying) {
    }

    /** What a cycle observed while it ran; its write figures are worked out once the load has stopped. */
    private record Run(int number, FaultKind kind, String target, Instant startedAt, long faultNanos, String faultError,
                       String oldLeader, String newLeader, FailoverSampler.Phases phases, Duration healed, List<String> rebuilt) {
    }

    /** How long after --heal-for a replica may go without streaming before --rebuild-diverged rebuilds it. */
    static final Duration REBUILD_AFTER = Duration.ofSeconds(30);

    public ChaosCampaign(LoadedCluster cluster, SecretResolver secrets, Progress progress) {
        this.cluster = cluster;
        this.secrets = secrets;
        this.progress = progress;
        this.spec = cluster.spec();
        this.status = DrillSteps.statusService(cluster, secrets);
    }

    /**
     * How the campaign will apply its faults; refuses, before anything happens, a fault it cannot apply here: a partition
     * without hosts of their own, a process fault without a lab or a fault command, an etcd fault without 3 etcd members.
     */
    public Optional<FaultInjector> faults(List<FaultKind> kinds) {
        if (kinds.isEmpty()) {
            throw ConnectError.invalidInput("--faults: give at least one of " + FaultKind.options());
        }
        Optional<FaultInjector> faults = FaultInjector.forCluster(spec, cluster.file(), progress);
        for (FaultKind kind : kinds) {
            if (kind.killsProcesses() && faults.isEmpty()) {
                throw ConnectError.invalidInput("--faults " + kind.option() + " acts on processes, so it needs a lab's cluster file "
                        + "(connect ha lab up) or a drill_fault_command in the cluster file");
            }
            if (kind.partitions() && !faults.orElseThrow().partitions()) {
                throw ConnectError.invalidInput("--faults " + kind.option() + " needs a lab in network namespaces "
                        + "(lab up --network namespaces) or a drill_fault_command");
            }
            Optional<String> cannot = faults.flatMap(f -> f.cannot(kind));
            if (cannot.isPresent()) {
                throw ConnectError.invalidInput(cannot.get().replaceFirst("^--fault ", "--faults "));
            }
            if (spec.drillFaultCommand() != null && kind.killsProcesses() && !FaultInjector.executable(spec.drillFaultCommand())) {
                throw ConnectError.invalidInput("drill_fault_command " + spec.drillFaultCommand() + " is not an executable file");
            }
            if (kind.hitsEtcd() && spec.etcd().members().size() < 3) {
                throw ConnectError.invalidInput("--faults " + kind.option() + " needs 3 etcd members (this cluster has "
                        + spec.etcd().members().size() + ")");
            }
        }
        return faults;
    }

    /**
     * Runs the campaign. {@code onAbort} gets the report so far when it ends early (Ctrl-C, or a failure), once the
     * cluster has been put back; the campaign's own end returns it.
     */
    public ChaosReport run(ChaosReport.Options o, Consumer<ChaosReport> onAbort) {
        Optional<FaultInjector> faults = faults(o.faults());
        DrillSteps.Start start = DrillSteps.start(status, pg, spec, secrets, progress, TABLE, COLUMNS);
        ChaosReport.Configuration configuration = configuration(start.before(), faults);
        Instant startedAt = Instant.now();
        long startNanos = System.nanoTime();
        List<Run> runs = new ArrayList<>();
        WriteLoad load = writers(o.via());
        AtomicReference<String> endError = new AtomicReference<>();
        try (DrillGuard guard = new DrillGuard(progress)) {
            guard.onAbort("report what there is", () -> onAbort.accept(finish(o, startedAt, startNanos, runs, load, configuration,
                    endError.get() == null, endError.get() == null ? "interrupted" : endError.get())));
            guard.onAbort("wait until the cluster is healthy", () -> Preflight.await(status, o.maxHeal(), progress));
            guard.onAbort("stop the load", load::stop);
            guard.onAbort("put back the fault in progress", () -> {
                stopping = true;
                restoreActive();
            });
            try {
                load.start(o.clients());
                Drills.sleep(WARMUP.toMillis());
                long endNanos = startNanos + o.duration().toNanos();
                ChaosPlan plan = new ChaosPlan(o.seed());
                int number = 0;
                while (!stopping && System.nanoTime() < endNanos) {
                    Run run = cycle(++number, plan, o, faults);
                    if (run == null) {
                        break;
                    }
                    synchronized (runs) {
                        runs.add(run);
                    }
                    underWay = null;
                    if (run.healed() == null) {
                        endError.set("cycle " + run.number() + " (" + run.kind().option() + " on " + run.target()
                                + ") did not heal within " + o.maxHeal().toSeconds() + " s");
                        progress.warn(endError.get() + ": the campaign ends");
                        break;
                    }
                }
            } catch (RuntimeException e) {
                // the guard puts the cluster back and reports what there is, with this as the reason
                endError.compareAndSet(null, e.getMessage());
                throw e;
            }
            load.stop();
            ChaosReport report = finish(o, startedAt, startNanos, runs, load, configuration, false, endError.get());
            guard.completed();
            return report;
        }
    }

    /** One cycle: the fault drawn and its target, applied and sampled, held, restored, healed. Null when stopping. */
    private Run cycle(int number, ChaosPlan plan, ChaosReport.Options o, Optional<FaultInjector> faults) {
        ClusterStatus before = status.check();
        String oldLeader = before.leader();
        FaultKind kind = plan.next(o.faults());
        String target;
        try {
            target = plan.target(kind, view(before));
        } catch (ConnectError e) {
            target = null;
        }
        Instant startedAt = Instant.now();
        long faultNanos = System.nanoTime();
        AtomicBoolean applied = new AtomicBoolean();
        AtomicReference<String> error = new AtomicReference<>(target == null ? "no target for " + kind.option() : null);
        FailoverSampler.Phases phases = null;
        if (target != null && oldLeader != null) {
            MemberSpec old = spec.member(oldLeader).orElseThrow();
            progress.info("Cycle " + number + ": " + kind.option() + " on " + target + " (leader " + oldLeader + "), held "
                    + o.faultFor().toMillis() + " ms");
            synchronized (this) {
                if (stopping) {
                    return null;
                }
                active = new Active(kind, target, faults, applyFault(kind, faults, old, target, applied, error));
                underWay = new Run(number, kind, target, startedAt, faultNanos, "interrupted during the cycle", oldLeader, null, null, null,
                        List.of());
            }
            try {
                phases = new FailoverSampler(spec, secrets.password(SecretName.superuser), faultNanos).phases(old, target, kind,
                        o.faultFor(), applied);
            } catch (RuntimeException e) {
                progress.warn("cycle " + number + ": sampling: " + e.getMessage());
            }
            long holdLeft = faultNanos + o.faultFor().toNanos() - System.nanoTime();
            if (holdLeft > 0) {
                Drills.sleep(holdLeft / 1_000_000);
            }
            String restoreError = restoreActive();
            if (restoreError != null && error.get() == null) {
                error.set(restoreError);
            }
        } else if (oldLeader == null) {
            error.set("no leader to drill");
        }
        long restoredNanos = System.nanoTime();
        Healing healing = heal(restoredNanos, o);
        Run run = new Run(number, kind, target, startedAt, faultNanos, error.get(), oldLeader, healing.leader(), phases, healing.healed(),
                healing.rebuilt());
        progress.info("Cycle " + number + ": " + (error.get() == null ? "" : "(" + error.get() + ") ") + "leader " + oldLeader + " -> "
                + (healing.leader() == null ? "none" : healing.leader()) + (healing.healed() == null ? ", NOT healed"
                : ", healed " + healing.healed().toMillis() + " ms after the restore"));
        return run;
    }

    /** The first time preflight passed after the restore (null: not within the deadline), and the leader then. */
    private record Healing(Duration healed, String leader, List<String> rebuilt) {
    }

    /**
     * Waits --heal-for, and then until preflight passes, within --max-heal of the restore (or --heal-for, if longer). Healed
     * counts from the restore to the first status that passes; the next cycle starts only on one that passes after --heal-for.
     */
    private Healing heal(long restoredNanos, ChaosReport.Options o) {
        long settled = restoredNanos + o.healFor().toNanos();
        long deadline = restoredNanos + Math.max(o.maxHeal().toNanos(), o.healFor().toNanos());
        // a replica that has not streamed for this long after the restore, under a leader, is taken to be unable to by itself
        long rebuildAfter = settled + REBUILD_AFTER.toNanos();
        List<String> rebuilt = new java.util.ArrayList<>();
        Long first = null;
        ClusterStatus s;
        while (true) {
            s = status.check();
            long now = System.nanoTime();
            if (s.healthy() && first == null) {
                first = now - restoredNanos;
            }
            if (s.healthy() && now >= settled) {
                return new Healing(Duration.ofMillis(Drills.ms(first)), s.leader(), List.copyOf(rebuilt));
            }
            if (now > deadline) {
                progress.warn("still not healthy at the heal deadline: " + Preflight.reasons(s));
                return new Healing(null, s.leader(), List.copyOf(rebuilt));
            }
            if (!s.healthy() && first != null && now >= settled) {
                // healthy once, then not again by the end of --heal-for: the cluster has not settled
                first = null;
            }
            if (o.rebuildDiverged() && rebuilt.isEmpty() && now >= rebuildAfter && s.leader() != null) {
                rebuilt.addAll(rebuildStuckReplicas(s));
            }
            Drills.sleep(500);
        }
    }

    /**
     * With --rebuild-diverged: each running replica that does not stream from the leader is rebuilt (patroni reinit), as an
     * operator would once a replica is left on a timeline the leader never had (a leader that took back the key it had
     * lost: docs/drills.md). What it held is already counted: lost writes are those the leader lacks.
     */
    private List<String> rebuildStuckReplicas(ClusterStatus s) {
        List<String> names = new java.util.ArrayList<>();
        for (io.connectha.status.MemberStatus m : s.members()) {
            if (m.name().equals(s.leader()) || Boolean.TRUE.equals(m.streaming())) {
                continue;
            }
            spec.member(m.name()).ifPresent(member -> {
                try (Http http = PatroniClient.http(spec, Duration.ofSeconds(1), Duration.ofSeconds(10))) {
                    PatroniClient.authenticated(http, spec, secrets).reinitialize(member, true);
                    names.add(member.name());
                    progress.info("  rebuilt " + member.name() + " (patroni reinit): it did not stream from " + s.leader() + " "
                            + REBUILD_AFTER.toSeconds() + " s after --heal-for");
                } catch (RuntimeException e) {
                    progress.warn("could not rebuild " + member.name() + ": " + e.getMessage());
                }
            });
        }
        return names;
    }

    /** Puts back the fault being held, if any (once); returns why that failed, or null. */
    private String restoreActive() {
        Active a;
        synchronized (this) {
            a = active;
            active = null;
        }
        if (a == null) {
            return null;
        }
        try {
            a.applying().join(70_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!a.kind().killsProcesses()) {
            return null;
        }
        try {
            a.faults().orElseThrow().restore(a.kind(), a.target());
            return null;
        } catch (RuntimeException e) {
            progress.warn("restore " + a.kind().option() + " on " + a.target() + ": " + e.getMessage());
            return "restore: " + e.getMessage();
        }
    }

    /** Applies the fault in its own thread, so that sampling starts at the fault's instant, not when it returns. */
    private Thread applyFault(FaultKind kind, Optional<FaultInjector> faults, MemberSpec old, String target, AtomicBoolean applied,
                              AtomicReference<String> error) {
        Thread t = new Thread(() -> {
            try {
                error.set(FaultAction.apply(kind, faults, old, target, spec, secrets, progress));
            } finally {
                applied.set(true);
            }
        }, "chaos-fault");
        t.start();
        return t;
    }

    private ChaosPlan.Cluster view(ClusterStatus s) {
        List<String> streaming = s.members().stream().filter(m -> !m.isLeader() && Boolean.TRUE.equals(m.streaming()))
                .map(MemberStatus::name).toList();
        return new ChaosPlan.Cluster(s.leader(), spec.members().stream().map(MemberSpec::name).toList(), streaming,
                spec.etcd().members().stream().map(EtcdSpec.EtcdMemberSpec::name).toList(), s.etcd() == null ? null : s.etcd().raftLeader());
    }

    /**
     * The report, once: the rows read back from the leader (the cluster waited for, up to --max-heal), the set checker,
     * each cycle's write figures from the ledger, and the table dropped unless kept.
     */
    private synchronized ChaosReport finish(ChaosReport.Options o, Instant startedAt, long startNanos, List<Run> runs, WriteLoad load,
                                            ChaosReport.Configuration configuration, boolean interrupted, String endError) {
        if (finished != null) {
            return finished;
        }
        load.stop();
        long stoppedNanos = System.nanoTime();
        List<Run> done;
        synchronized (runs) {
            done = new ArrayList<>(runs);
        }
        Run partial = underWay;
        if (interrupted && partial != null && done.stream().noneMatch(r -> r.number() == partial.number())) {
            done.add(partial);
        }
        SetChecker.Result check = null;
        String checkError = null;
        Set<Long> present = new HashSet<>();
        ClusterStatus after = DrillSteps.awaitHealthy(status, o.maxHeal());
        try {
            MemberSpec leader = Optional.ofNullable(after.leader()).flatMap(spec::member)
                    .orElseThrow(() -> new ConnectError(ConnectError.Kind.FAILURE, "no leader to read the rows back from: "
                            + Preflight.reasons(after)));
            List<SetChecker.Row> rows = rows(leader);
            rows.forEach(r -> present.add(r.seq()));
            check = SetChecker.check(load.acksByClient(), load.failures(), rows, o.via() == FailoverDrill.Via.haproxy
                    || spec.pgbouncer() == null || spec.pgbouncer().poolMode() == PgbouncerSpec.PoolMode.session);
            check = named(check);
            if (!o.keepTable()) {
                dropTable(leader);
            }
        } catch (ConnectError e) {
            checkError = e.getMessage();
            progress.warn("set checker: " + checkError);
        }
        List<ChaosCycle> cycles = new ArrayList<>();
        for (int i = 0; i < done.size(); i++) {
            long from = done.get(i).faultNanos();
            long to = i + 1 < done.size() ? done.get(i + 1).faultNanos() : stoppedNanos;
            cycles.add(figures(done.get(i), from, to, load, present));
        }
        finished = new ChaosReport(spec.name(), o.seed(), o, startedAt, Duration.ofNanos(stoppedNanos - startNanos), interrupted, endError,
                cycles, check, checkError, configuration);
        return finished;
    }

    /** A cycle's write figures: what the load saw from its fault to the next cycle's (or the end). */
    private ChaosCycle figures(Run r, long from, long to, WriteLoad load, Set<Long> present) {
        List<WriteLoad.Ack> acks = load.acks().stream().filter(a -> a.ackNanos() >= from && a.ackNanos() < to).toList();
        List<WriteLoad.Failure> failures = load.failures().stream().filter(f -> f.atNanos() >= from && f.atNanos() < to).toList();
        long lost = present.isEmpty() ? 0 : acks.stream().filter(a -> !present.contains(a.seq())).count();
        String oldAddress = address(r.oldLeader());
        String newAddress = address(r.newLeader());
        long splitBrain = oldAddress == null ? 0
                : new WriteLedger(acks, failures, List.of(), from).splitBrainWrites(oldAddress, newAddress);
        FailoverSampler.Phases p = r.phases();
        return new ChaosCycle(r.number(), r.kind(), r.target(), r.startedAt(), r.faultError(), r.oldLeader(), r.newLeader(),
                p == null ? null : p.newLeaderKey(), p == null ? null : p.writable(), longestSilence(acks, from, to), acks.size(),
                failures.size(), lost, splitBrain, r.healed(), r.rebuilt());
    }

    /** The longest time from {@code from} to {@code to} in which no client got any write acknowledged. */
    static Duration longestSilence(List<WriteLoad.Ack> acks, long from, long to) {
        long[] times = acks.stream().mapToLong(WriteLoad.Ack::ackNanos).sorted().toArray();
        long previous = from;
        long longest = 0;
        for (long t : times) {
            longest = Math.max(longest, t - previous);
            previous = t;
        }
        longest = Math.max(longest, to - previous);
        return Duration.ofMillis(Drills.ms(longest));
    }

    /** The set checker's examples with member names rather than the addresses PostgreSQL gave. */
    private SetChecker.Result named(SetChecker.Result r) {
        java.util.Map<String, String> names = new java.util.HashMap<>();
        spec.members().forEach(m -> names.putIfAbsent(m.address(), m.name()));
        List<SetChecker.Overlap> overlaps = r.overlaps().stream().map(x -> new SetChecker.Overlap(x.seq(),
                names.getOrDefault(x.member(), x.member()), names.getOrDefault(x.leader(), x.leader()))).toList();
        return new SetChecker.Result(r.attempted(), r.acknowledged(), r.present(), r.rows(), r.lost(), r.recovered(), r.unexpected(),
                r.duplicated(), r.leaderOverlaps(), r.lostSeqs(), overlaps);
    }

    private String address(String member) {
        return member == null ? null : spec.member(member).map(MemberSpec::address).orElse(null);
    }

    private ChaosReport.Configuration configuration(ClusterStatus before, Optional<FaultInjector> faults) {
        ClusterStatus.DcsConfig d = before.dcsConfig();
        String by = faults.map(FaultInjector::describe).orElse("Patroni's REST API");
        if (d == null) {
            var p = spec.patroni();
            return new ChaosReport.Configuration(p.ttl(), p.loopWait(), p.retryTimeout(), p.synchronousMode(),
                    p.maximumLagOnFailover().bytes(), by);
        }
        return new ChaosReport.Configuration(d.ttl(), d.loopWait(), d.retryTimeout(), d.synchronousMode(), d.maximumLagOnFailover(), by);
    }

    private WriteLoad writers(FailoverDrill.Via via) {
        String appPassword = secrets.password(SecretName.app);
        if (via == FailoverDrill.Via.pgbouncer) {
            PgbouncerSpec b = spec.pgbouncer();
            return new WriteLoad(pg, Endpoints.pgbouncer(spec, spec.postgresql().database(), spec.postgresql().appUser()), appPassword,
                    b.poolMode() == PgbouncerSpec.PoolMode.session ? PgConnector.Mode.DIRECT : PgConnector.Mode.TRANSACTION_POOLED, TABLE);
        }
        return new WriteLoad(pg, DrillSteps.writePort(spec), appPassword, PgConnector.Mode.DIRECT, TABLE);
    }

    /** Every row, as the superuser on the leader, as drill failover verifies. */
    private List<SetChecker.Row> rows(MemberSpec leader) {
        Connection c = pg.connect(Endpoints.member(spec, leader, spec.postgresql().database(), spec.postgresql().superuser()),
                secrets.password(SecretName.superuser));
        try {
            return Sql.list(c, "SELECT seq, client FROM " + TABLE, rs -> new SetChecker.Row(rs.getLong(1), rs.getInt(2)));
        } finally {
            Sql.close(c);
        }
    }

    private void dropTable(MemberSpec leader) {
        Connection c = pg.connect(Endpoints.member(spec, leader, spec.postgresql().database(), spec.postgresql().superuser()),
                secrets.password(SecretName.superuser));
        try {
            Sql.execute(c, "DROP TABLE IF EXISTS " + TABLE);
        } finally {
            Sql.close(c);
        }
    }
}
