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
import io.connectha.status.ClusterStatus;
import io.connectha.status.StatusService;

import java.nio.file.Path;
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

    public record Options(FaultKind fault, Via via, int clients, int readers, Duration loadAfterFault, Duration warmup,
                          Duration maxRto, long maxLostWrites, double maxErrorRate, Duration maxP95, Duration maxRejoin,
                          boolean keepTable, String probeUrl, Duration probeInterval) {

        FailoverVerdict.Thresholds thresholds() {
            return new FailoverVerdict.Thresholds(maxRto, maxLostWrites, maxErrorRate, maxP95, maxRejoin);
        }
    }

    private static final String TABLE = "connect_drill";
    private static final String COLUMNS = "seq bigint PRIMARY KEY, client int NOT NULL";

    private final SecretResolver secrets;
    private final Progress progress;
    private final ClusterSpec spec;
    private final Path clusterFile;
    private final PgConnector pg = new PgConnector(Duration.ofSeconds(1), Duration.ofSeconds(2));
    private final StatusService status;

    public FailoverDrill(LoadedCluster cluster, SecretResolver secrets, Progress progress) {
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
        DrillSteps.Start start = DrillSteps.start(status, pg, spec, secrets, progress, TABLE, COLUMNS);
        ClusterStatus before = start.before();
        String oldLeader = start.oldLeader();
        MemberSpec old = spec.member(oldLeader).orElseThrow();
        String target = o.fault().hitsEtcd() ? DrillLookups.etcdRaftLeader(before) : oldLeader;
        DrillLookups lookups = new DrillLookups(spec, secrets, pg, progress);
        Setting setting = new Setting(lookups.configuration(o, old, faults), lookups.versions(old, before));
        String appPassword = secrets.password(SecretName.app);

        try (DrillGuard guard = new DrillGuard(progress)) {
            guard.onAbort("drop the drill table", () -> dropTable(appPassword));
            guard.onAbort("wait until the cluster is healthy", () -> Preflight.await(status, o.maxRejoin(), progress));

            FailoverLoad load = new FailoverLoad(pg, spec, o.via(), appPassword, o.probeUrl(), o.probeInterval());
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
            AtomicBoolean applied = new AtomicBoolean();
            AtomicReference<String> faultError = new AtomicReference<>();
            Thread fault = applyFault(o.fault(), faults, old, target, applied, faultError);

            FailoverSampler sampler = new FailoverSampler(spec, secrets.password(SecretName.superuser), faultNanos);
            FailoverSampler.Phases phases = sampler.phases(old, target, o.fault(), o.maxRto().plusSeconds(30), applied);
            // the node comes back as soon as the fault has done its work (the leader is settled): as a replica, if all goes well
            join(fault);
            if (o.fault().killsProcesses()) {
                faults.orElseThrow().restore(o.fault(), target);
            }
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
            return report(o, subject, new Observation(phases, recovery, seen, WriteLedger.of(seen.writes(), faultNanos), end.verified()),
                    lookups, setting);
        }
    }

    /** What the report records about the set-up, looked up before the fault. */
    private record Setting(DrillReport.Configuration configuration, DrillReport.Versions versions) {
    }

    /** Everything observed: the phases, the recovery, what the load saw and its ledger, the rows on the leader afterwards. */
    private record Observation(FailoverSampler.Phases phases, FailoverSampler.Recovery recovery, FailoverLoad.Seen seen, WriteLedger ledger,
                               Set<Long> present) {
    }

    /** The figures worked out, then judged. */
    private DrillReport report(Options o, DrillReport.Subject subject, Observation observed, DrillLookups lookups, Setting setting) {
        FailoverSampler.Phases phases = observed.phases();
        FailoverSampler.Recovery recovery = observed.recovery();
        WriteLedger ledger = observed.ledger();
        Set<Long> present = observed.present();
        MemberSpec fresh = subject.newLeader() == null ? null : spec.member(subject.newLeader()).orElse(null);
        String newAddress = fresh == null ? null : fresh.address();
        String oldAddress = spec.member(subject.oldLeader()).orElseThrow().address();
        List<WriteLoad.Ack> lost = ledger.lost(present);
        Duration clientRto = ledger.clientRto(oldAddress, newAddress);
        long splitBrain = ledger.splitBrainWrites(oldAddress, newAddress);

        DrillReport.Timeline timeline = new DrillReport.Timeline(phases.detection(), phases.newLeaderKey(), phases.writable(),
                phases.haproxy(), phases.etcdLeader(), clientRto, ledger.longestGap(), recovery.rejoin(), recovery.healthy(),
                Duration.ofMillis(Drills.SAMPLE_MS));
        DrillReport.Writes writes = new DrillReport.Writes(ledger.acks().size(), ledger.failures().size(), ledger.errorRate(),
                ledger.latency(50), ledger.latency(95), ledger.latency(100),
                ledger.acks().size() / Math.max(0.001, observed.seen().ran().toNanos() / 1e9));
        DrillReport.Data data = new DrillReport.Data(present.size(), lost.size(), lookups.rpoBytes(lost, fresh), splitBrain);

        HttpProbe.Result probed = observed.seen().probe();

        FailoverVerdict verdict = FailoverVerdict.judge(new FailoverVerdict.Observed(subject.fault(), subject.faultError() == null,
                subject.oldLeader(), subject.newLeader(), timeline.etcdLeader(), clientRto, lost.size(), splitBrain, writes.errorRate(),
                writes.latencyP95(), timeline.rejoin(), timeline.healthy(),
                probed == null ? null : new FailoverVerdict.Probes(probed.probes(), probed.failed())), o.thresholds());
        return new DrillReport(subject, timeline, writes, data, observed.seen().reads(o.readers()), observed.seen().probeReport(o.probeInterval()),
                verdict, setting.configuration(), setting.versions());
    }

    /** Applies the fault in its own thread, so that sampling starts at the fault's instant, not when it returns. */
    private Thread applyFault(FaultKind kind, Optional<FaultInjector> faults, MemberSpec old, String target, AtomicBoolean applied,
                              AtomicReference<String> error) {
        Thread t = new Thread(() -> {
            try {
                if (kind == FaultKind.SWITCHOVER) {
                    // Patroni answers once the switchover is done; the sampler measures meanwhile
                    try (Http http = PatroniClient.http(spec, Duration.ofSeconds(1), Duration.ofSeconds(60))) {
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
