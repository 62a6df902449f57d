package io.connectha.drill;

import io.connectha.cluster.ClusterSpec;
import io.connectha.cluster.LoadedCluster;
import io.connectha.cluster.MemberSpec;
import io.connectha.cluster.SecretName;
import io.connectha.cluster.SecretResolver;
import io.connectha.error.ConnectError;
import io.connectha.lab.Lab;
import io.connectha.pg.PgConnector;
import io.connectha.pg.Sql;
import io.connectha.process.Progress;
import io.connectha.status.ClusterStatus;
import io.connectha.status.StatusService;

import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The seed plan's rollback test, on a lab: under write load the leader's node is lost (Patroni and
 * its PostgreSQL killed), another member takes over and the load goes on there, so the timelines
 * diverge; then the old node's Patroni is started again. Measured from that start: Patroni running,
 * PostgreSQL on the new timeline, streaming from the new leader, caught up. Then, with the load
 * stopped and every byte replayed, the drill table must be identical on the rejoined member and on
 * the leader, and Patroni's log says whether pg_rewind ran.
 */
public final class RejoinDrill {

    /**
     * @param diverge how long the new leader takes writes before the old node comes back
     */
    public record Options(int clients, Duration warmup, Duration diverge, Duration maxRejoin, boolean keepTable) {
    }

    static final String TABLE = "connect_drill";
    private static final Duration SETTLE = Duration.ofSeconds(30);

    private final LoadedCluster cluster;
    private final SecretResolver secrets;
    private final Progress progress;

    public RejoinDrill(LoadedCluster cluster, SecretResolver secrets, Progress progress) {
        this.cluster = cluster;
        this.secrets = secrets;
        this.progress = progress;
    }

    public RejoinReport run(Options o) {
        ClusterSpec spec = cluster.spec();
        Lab lab = LabNode.requireLab(cluster.file(), progress, "rejoin");
        PgConnector pg = new PgConnector(Duration.ofSeconds(1), Duration.ofSeconds(2));
        DrillSteps.Start start = DrillSteps.start(DrillSteps.statusService(cluster, secrets), pg, spec, secrets, progress, TABLE,
                "seq bigint PRIMARY KEY, client int NOT NULL");
        StatusService status = start.status();
        String oldLeader = start.oldLeader();

        try (ClusterProbe probe = new ClusterProbe(spec, secrets.password(SecretName.superuser));
             DrillGuard guard = new DrillGuard(progress)) {
            MemberSpec old = probe.member(oldLeader);
            Integer oldTimeline = probe.primaryTimeline(old).orElse(null);
            WriteLoad load = new WriteLoad(pg, DrillSteps.writePort(spec), secrets.password(SecretName.app), PgConnector.Mode.DIRECT);
            load.start(o.clients());
            LabNode node = LabNode.of(lab, oldLeader);
            // on Ctrl-C: stop writing, start the old node again, wait for health (the finally blocks below do not run then)
            guard.onAbort("wait until the cluster is healthy", () -> DrillSteps.awaitHealthy(status, SETTLE));
            guard.onAbort("start " + oldLeader + " again", node::start);
            guard.onAbort("stop the load", load::stop);
            long faultNanos;
            Instant faultAt;
            String newLeader = null;
            Long newLeaderMs = null;
            long startNanos;
            RejoinWatch watch = null;
            long logOffset;
            try {
                Drills.sleep(o.warmup().toMillis());
                faultNanos = System.nanoTime();
                faultAt = Instant.now();
                progress.info("Fault: node loss of " + oldLeader + " (kill -9 of its Patroni and PostgreSQL) at " + faultAt);
                node.kill();

                Optional<ClusterProbe.NewLeader> found = probe.awaitNewLeader(oldLeader, faultNanos,
                        Duration.ofSeconds(2L * spec.patroni().ttl() + 30));
                newLeader = found.map(ClusterProbe.NewLeader::name).orElse(null);
                newLeaderMs = found.map(ClusterProbe.NewLeader::ms).orElse(null);
                if (newLeader != null) {
                    progress.info("New leader " + newLeader + " after " + newLeaderMs + " ms; writing " + o.diverge().toMillis()
                            + " ms more on it before " + oldLeader + " comes back.");
                    Drills.sleep(o.diverge().toMillis());
                } else {
                    progress.warn("no new leader within the deadline; starting " + oldLeader + " again anyway");
                }
            } catch (RuntimeException e) {
                load.stop();
                throw e;
            } finally {
                logOffset = node.patroniLogSize();
                startNanos = System.nanoTime();
                node.start(); // whatever happened, the node comes back
            }
            long restartedMs = Drills.ms(startNanos - faultNanos);
            progress.info("Started Patroni of " + oldLeader + " again; watching it rejoin...");

            try {
                if (newLeader != null) {
                    watch = new RejoinWatch(probe, old, probe.member(newLeader), startNanos);
                    long end = startNanos + o.maxRejoin().toNanos();
                    while (!watch.done() && System.nanoTime() < end) {
                        long tick = System.nanoTime();
                        watch.sample();
                        Drills.sleep(Math.max(0, Drills.SAMPLE_MS - Drills.ms(System.nanoTime() - tick)));
                    }
                }
            } finally {
                load.stop();
            }

            RewindEvidence rewind = RewindEvidence.scan(node.patroniLog(), logOffset);
            String leaderNow = newLeader;
            boolean watched = newLeader != null && watch.done();
            progress.info("Waiting for the cluster to be healthy again...");
            DrillSteps.End<Compared> end = DrillSteps.end(status, SETTLE, guard, o.keepTable(), after -> watched
                            ? compare(probe, probe.member(leaderNow), old, load) : new Compared(null, null, 0),
                    after -> {
                        if (leaderNow != null) {
                            DrillSteps.dropTable(probe, leaderNow, TABLE);
                        }
                    });
            ClusterStatus after = end.after();
            RejoinReport.TableDigest onLeader = end.verified().onLeader();
            RejoinReport.TableDigest onRejoined = end.verified().onRejoined();
            long lost = end.verified().lost();
            boolean identical = onLeader != null && onLeader.equals(onRejoined);

            Long caughtUp = watch == null ? null : watch.caughtUpMs();
            boolean rejoined = watch != null && watch.done() && caughtUp <= o.maxRejoin().toMillis();
            List<DrillReport.Criterion> criteria = new ArrayList<>();
            criteria.add(new DrillReport.Criterion("another member took over", newLeader != null, "a new leader accepting writes",
                    newLeader == null ? "none within the deadline" : newLeader + " after " + newLeaderMs + " ms"));
            criteria.add(new DrillReport.Criterion("old leader rejoined, streaming and caught up", rejoined,
                    "within " + o.maxRejoin().toMillis() + " ms of its start",
                    watch == null || !watch.done() ? "not within the deadline" : caughtUp + " ms"));
            criteria.add(new DrillReport.Criterion("data identical on the rejoined member", identical,
                    "same rows, sum, max and md5 of seq as on the leader", digestText(onLeader, onRejoined)));
            criteria.add(new DrillReport.Criterion("cluster healthy at the end", after.healthy(), "no problem in status",
                    after.healthy() ? "healthy" : String.join("; ", DrillSteps.problems(after))));

            return new RejoinReport(spec.name(), oldLeader, newLeader, faultAt, o.clients(), newLeaderMs, restartedMs,
                    watch == null ? null : watch.patroniRunningMs(), watch == null ? null : watch.newTimelineMs(),
                    watch == null ? null : watch.streamingMs(), caughtUp, oldTimeline, watch == null ? null : watch.leaderTimeline(),
                    watch == null ? null : watch.rejoinedTimeline(), rewind, load.acks().size(), load.failures().size(), lost,
                    onLeader, onRejoined, identical, after.healthy(), DrillSteps.problems(after), criteria, Drills.SAMPLE_MS);
        }
    }

    /** The drill table on the leader and on the rejoined member, once it replayed everything; and the acknowledged writes missing. */
    private record Compared(RejoinReport.TableDigest onLeader, RejoinReport.TableDigest onRejoined, long lost) {
    }

    private static Compared compare(ClusterProbe probe, MemberSpec leader, MemberSpec rejoined, WriteLoad load) {
        awaitReplayed(probe, leader, rejoined.name());
        RejoinReport.TableDigest onLeader = digest(probe, leader);
        RejoinReport.TableDigest onRejoined = digest(probe, rejoined);
        Set<Long> present = seqs(probe, leader);
        return new Compared(onLeader, onRejoined, load.acks().stream().filter(a -> !present.contains(a.seq())).count());
    }

    /** Waits until the rejoined member has replayed everything the leader wrote (the load has stopped). */
    private static void awaitReplayed(ClusterProbe probe, MemberSpec leader, String replica) {
        long end = System.nanoTime() + SETTLE.toNanos();
        while (System.nanoTime() < end) {
            if (probe.replication(leader, replica).filter(r -> r.caughtUpTo(r.leaderLsn())).isPresent()) {
                return;
            }
            Drills.sleep(Drills.SAMPLE_MS);
        }
    }

    private static RejoinReport.TableDigest digest(ClusterProbe probe, MemberSpec m) {
        try {
            Connection c = probe.connect(m, probe.spec().postgresql().database());
            try {
                return Sql.one(c, "SELECT count(*), coalesce(sum(seq), 0), coalesce(max(seq), 0), "
                                + "md5(coalesce(string_agg(seq::text, ',' ORDER BY seq), '')) FROM " + TABLE,
                        rs -> new RejoinReport.TableDigest(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getString(4)));
            } finally {
                Sql.close(c);
            }
        } catch (ConnectError e) {
            return null;
        }
    }

    private static Set<Long> seqs(ClusterProbe probe, MemberSpec leader) {
        Connection c = probe.connect(leader, probe.spec().postgresql().database());
        try {
            return new HashSet<>(Sql.list(c, "SELECT seq FROM " + TABLE, rs -> rs.getLong(1)));
        } finally {
            Sql.close(c);
        }
    }

    private static String digestText(RejoinReport.TableDigest leader, RejoinReport.TableDigest rejoined) {
        if (leader == null || rejoined == null) {
            return "not compared: " + (leader == null ? "leader" : "rejoined member") + " not readable or not rejoined";
        }
        if (leader.equals(rejoined)) {
            return leader.rows() + " rows, max seq " + leader.maxSeq() + ", md5 equal";
        }
        return "leader " + leader.rows() + " rows (max " + leader.maxSeq() + "), rejoined " + rejoined.rows() + " rows (max "
                + rejoined.maxSeq() + ")";
    }
}
