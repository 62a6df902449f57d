package io.connectha.drill;

import io.connectha.pg.Endpoints;

import io.connectha.cluster.ClusterSpec;
import io.connectha.cluster.LoadedCluster;
import io.connectha.cluster.MemberSpec;
import io.connectha.cluster.SecretName;
import io.connectha.cluster.SecretResolver;
import io.connectha.error.ConnectError;
import io.connectha.lab.Lab;
import io.connectha.pg.PgConnector;
import io.connectha.pg.ReplicationQueries;
import io.connectha.pg.Sql;
import io.connectha.process.Progress;
import io.connectha.status.ClusterStatus;
import io.connectha.status.StatusService;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Proves, on a lab, that a former leader started again while another member holds the leader key
 * never takes writes: the leader's node is lost (Patroni and PostgreSQL killed), another member takes
 * over, the old node's Patroni is started again; throughout, every 50 ms, a write is sent straight to
 * every member's PostgreSQL and one through HAProxy's write port, and the leader key is read from etcd.
 */
public final class SplitBrainDrill {

    /**
     * @param before sampling before the fault
     * @param after  sampling after the old leader streams again
     */
    public record Options(Duration before, Duration after, Duration maxRejoin, boolean keepTable) {
    }

    static final String TABLE = "connect_drill_split_brain";
    private static final Duration SETTLE = Duration.ofSeconds(30);

    private final LoadedCluster cluster;
    private final SecretResolver secrets;
    private final Progress progress;

    public SplitBrainDrill(LoadedCluster cluster, SecretResolver secrets, Progress progress) {
        this.cluster = cluster;
        this.secrets = secrets;
        this.progress = progress;
    }

    public SplitBrainReport run(Options o) {
        ClusterSpec spec = cluster.spec();
        Lab lab = LabNode.requireLab(cluster.file(), progress, "split-brain");
        DrillSteps.Start start = DrillSteps.start(DrillSteps.statusService(cluster, secrets),
                new PgConnector(Duration.ofSeconds(1), Duration.ofSeconds(2)), spec, secrets, progress, TABLE,
                "seq bigint PRIMARY KEY, member text NOT NULL, via text NOT NULL, at timestamptz NOT NULL DEFAULT clock_timestamp()");
        StatusService status = start.status();
        String oldLeader = start.oldLeader();

        try (ClusterProbe probe = new ClusterProbe(spec, secrets.password(SecretName.superuser));
             DrillGuard guard = new DrillGuard(progress)) {
            MemberSpec old = probe.member(oldLeader);
            awaitTableEverywhere(probe);
            LabNode node = LabNode.of(lab, oldLeader);
            Prober prober = new Prober(probe);
            Thread sampler = new Thread(prober, "drill-split-brain-sampler");
            sampler.setDaemon(true);
            sampler.start();
            // on Ctrl-C: stop writing, start the old node again, wait for health (the finally blocks below do not run then)
            guard.onAbort("wait until the cluster is healthy", () -> DrillSteps.awaitHealthy(status, SETTLE));
            guard.onAbort("start " + oldLeader + " again", node::start);
            guard.onAbort("stop the load", prober::stop);

            long faultNanos;
            Instant faultAt;
            String newLeader = null;
            Long newLeaderMs = null;
            long startNanos;
            RejoinWatch watch = null;
            try {
                Drills.sleep(o.before().toMillis());
                faultNanos = System.nanoTime();
                faultAt = Instant.now();
                progress.info("Fault: node loss of " + oldLeader + " (kill -9 of its Patroni and PostgreSQL) at " + faultAt
                        + "; writing to every member every " + Drills.SAMPLE_MS + " ms");
                node.kill();
                Optional<ClusterProbe.NewLeader> found = probe.awaitNewLeader(oldLeader, faultNanos,
                        Duration.ofSeconds(2L * spec.patroni().ttl() + 30));
                newLeader = found.map(ClusterProbe.NewLeader::name).orElse(null);
                newLeaderMs = found.map(ClusterProbe.NewLeader::ms).orElse(null);
                progress.info(newLeader == null ? "No new leader within the deadline; starting " + oldLeader + " again anyway."
                        : "New leader " + newLeader + " after " + newLeaderMs + " ms; starting " + oldLeader + "'s Patroni while it holds the key.");
            } catch (RuntimeException e) {
                prober.stop();
                throw e;
            } finally {
                startNanos = System.nanoTime();
                node.start(); // whatever happened, the node comes back
            }
            try {
                if (newLeader != null) {
                    watch = new RejoinWatch(probe, old, probe.member(newLeader), startNanos);
                    long end = startNanos + o.maxRejoin().toNanos();
                    while (!watch.done() && System.nanoTime() < end) {
                        long tick = System.nanoTime();
                        watch.sample();
                        Drills.sleep(Math.max(0, Drills.SAMPLE_MS - Drills.ms(System.nanoTime() - tick)));
                    }
                    Drills.sleep(o.after().toMillis());
                }
            } finally {
                prober.stop();
                join(sampler);
            }

            List<WriteSample> samples = prober.samples(faultNanos);
            List<String> names = spec.members().stream().map(MemberSpec::name).toList();
            long restartedMs = Drills.ms(startNanos - faultNanos);
            String leaderNow = newLeader;
            progress.info("Waiting for the cluster to be healthy again...");
            DrillSteps.End<Map<String, Long>> end = DrillSteps.end(status, SETTLE, guard, o.keepTable(),
                    after -> leaderNow == null ? Map.of() : lostPerMember(prober.acknowledged, seqs(probe, probe.member(leaderNow))),
                    after -> {
                        if (leaderNow != null) {
                            DrillSteps.dropTable(probe, leaderNow, TABLE);
                        }
                    });
            ClusterStatus after = end.after();
            Map<String, Long> lost = end.verified();

            List<SplitBrainAnalysis.DoubleWrite> doubles = SplitBrainAnalysis.doubleWrites(samples);
            List<SplitBrainAnalysis.RouteViolation> violations = SplitBrainAnalysis.haproxyViolations(samples);
            long oldAfterRestart = SplitBrainAnalysis.acceptedFrom(samples, oldLeader, restartedMs);
            boolean rejoined = watch != null && watch.done();
            List<DrillReport.Criterion> criteria = new ArrayList<>();
            criteria.add(new DrillReport.Criterion("another member took over", newLeader != null, "a new leader accepting writes",
                    newLeader == null ? "none within the deadline" : newLeader + " after " + newLeaderMs + " ms"));
            criteria.add(new DrillReport.Criterion("never two members accepting writes", doubles.isEmpty(),
                    "0 samples with two writers", doubles.size() + " of " + samples.size() + " samples"));
            criteria.add(new DrillReport.Criterion("HAProxy writes only to the leader key's holder", violations.isEmpty(),
                    "0 samples elsewhere (" + SplitBrainAnalysis.HAPROXY_SLACK_SAMPLES + " sample of slack around a change)",
                    violations.size() + " of " + samples.size() + " samples"));
            criteria.add(new DrillReport.Criterion("old leader took no write after it came back", oldAfterRestart == 0,
                    "0 writes accepted by " + oldLeader + " after its start", Long.toString(oldAfterRestart)));
            criteria.add(new DrillReport.Criterion("old leader ends as a streaming replica", rejoined,
                    "within " + o.maxRejoin().toMillis() + " ms of its start",
                    rejoined ? "streaming after " + watch.streamingMs() + " ms, caught up after " + watch.caughtUpMs() + " ms"
                            : "not within the deadline"));

            return new SplitBrainReport(spec.name(), oldLeader, newLeader, faultAt, newLeaderMs, restartedMs,
                    watch == null ? null : watch.streamingMs(), watch == null ? null : watch.caughtUpMs(), samples.size(), Drills.SAMPLE_MS,
                    SplitBrainAnalysis.HAPROXY_SLACK_SAMPLES, SplitBrainAnalysis.writeWindows(samples, names),
                    SplitBrainAnalysis.leaderKeyHolders(samples), SplitBrainAnalysis.haproxyRoutes(samples), doubles, violations,
                    oldAfterRestart, acknowledgedBy(prober.acknowledged), lost, after.healthy(), DrillSteps.problems(after), criteria);
        }
    }

    /** The table is created through the leader; a replica that has not replayed it yet would answer "no such table", not "read-only". */
    private static void awaitTableEverywhere(ClusterProbe probe) {
        long end = System.nanoTime() + SETTLE.toNanos();
        for (MemberSpec m : probe.spec().members()) {
            while (System.nanoTime() < end) {
                try {
                    Connection c = probe.connect(m, probe.spec().postgresql().database());
                    try {
                        if (Sql.one(c, "SELECT to_regclass('" + TABLE + "') IS NOT NULL", rs -> rs.getBoolean(1))) {
                            break;
                        }
                    } finally {
                        Sql.close(c);
                    }
                } catch (ConnectError e) {
                    // not yet
                }
                Drills.sleep(Drills.SAMPLE_MS);
            }
        }
    }

    private static Set<Long> seqs(ClusterProbe probe, MemberSpec leader) {
        try {
            Connection c = probe.connect(leader, probe.spec().postgresql().database());
            try {
                return new HashSet<>(Sql.list(c, "SELECT seq FROM " + TABLE, rs -> rs.getLong(1)));
            } finally {
                Sql.close(c);
            }
        } catch (ConnectError e) {
            return Set.of();
        }
    }

    /** Acknowledged writes missing on the leader, per member that acknowledged them. */
    private static Map<String, Long> lostPerMember(Map<Long, String> acknowledged, Set<Long> present) {
        Map<String, Long> lost = new TreeMap<>();
        acknowledged.forEach((seq, member) -> {
            if (!present.contains(seq)) {
                lost.merge(member, 1L, Long::sum);
            }
        });
        return lost;
    }

    private static Map<String, Long> acknowledgedBy(Map<Long, String> acknowledged) {
        Map<String, Long> by = new TreeMap<>();
        acknowledged.values().forEach(m -> by.merge(m, 1L, Long::sum));
        return by;
    }

    private static void join(Thread t) {
        try {
            t.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Every 50 ms, at once: the leader key from etcd, a write straight to each member (on a connection
     * kept while it works), and a write through a fresh connection to HAProxy's write port (a kept one
     * would stay on the member it reached first).
     */
    private static final class Prober implements Runnable {

        private record Raw(long nanos, String key, boolean keyKnown, Map<String, WriteSample.Outcome> members, String haproxy,
                           boolean haproxyAccepted) {
        }

        private record Through(String member, boolean accepted) {
        }

        private final ClusterProbe probe;
        private final ExecutorService pool;
        private final Map<String, Connection> kept = new ConcurrentHashMap<>();
        private final AtomicLong sequence = new AtomicLong();
        private final List<Raw> raw = new ArrayList<>();
        /** Every acknowledged write: seq to the member that acknowledged it. */
        final Map<Long, String> acknowledged = new ConcurrentHashMap<>();
        private volatile boolean running = true;

        Prober(ClusterProbe probe) {
            this.probe = probe;
            this.pool = Executors.newFixedThreadPool(probe.spec().members().size() + 2, r -> {
                Thread t = new Thread(r, "drill-split-brain-probe");
                t.setDaemon(true);
                return t;
            });
        }

        @Override
        public void run() {
            try {
                while (running) {
                    long tick = System.nanoTime();
                    Future<Optional<String>> key = pool.submit(probe::leaderKeyHolder);
                    Map<String, Future<WriteSample.Outcome>> members = new LinkedHashMap<>();
                    for (MemberSpec m : probe.spec().members()) {
                        members.put(m.name(), pool.submit(() -> writeStraight(m)));
                    }
                    Future<Through> haproxy = pool.submit(this::writeThroughHaproxy);
                    Map<String, WriteSample.Outcome> outcomes = new LinkedHashMap<>();
                    members.forEach((name, f) -> outcomes.put(name, get(f).orElse(WriteSample.Outcome.error)));
                    Optional<Optional<String>> holder = get(key);
                    Through through = get(haproxy).orElse(new Through(null, false));
                    synchronized (raw) {
                        raw.add(new Raw(tick, holder.flatMap(h -> h).orElse(null), holder.isPresent(), outcomes, through.member(),
                                through.accepted()));
                    }
                    long left = Drills.SAMPLE_MS - Drills.ms(System.nanoTime() - tick);
                    if (left > 0) {
                        Thread.sleep(left);
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                pool.shutdownNow();
                kept.values().forEach(Sql::close);
            }
        }

        void stop() {
            running = false;
        }

        List<WriteSample> samples(long faultNanos) {
            synchronized (raw) {
                return raw.stream().map(r -> new WriteSample(Drills.ms(r.nanos() - faultNanos), r.key(), r.keyKnown(), r.members(),
                        r.haproxy(), r.haproxyAccepted())).toList();
            }
        }

        private WriteSample.Outcome writeStraight(MemberSpec m) {
            Connection c = kept.get(m.name());
            try {
                if (c == null) {
                    c = probe.connect(m, probe.spec().postgresql().database());
                    kept.put(m.name(), c);
                }
                return insert(c, m.name(), "direct") ? WriteSample.Outcome.accepted : WriteSample.Outcome.read_only;
            } catch (ConnectError e) {
                return WriteSample.Outcome.down;
            } catch (SQLException e) {
                kept.remove(m.name());
                Sql.close(c);
                String state = String.valueOf(e.getSQLState());
                return state.startsWith("08") || state.startsWith("57P") ? WriteSample.Outcome.down : WriteSample.Outcome.error;
            }
        }

        private Through writeThroughHaproxy() {
            ClusterSpec spec = probe.spec();
            Connection c;
            try {
                c = probe.connector().connect(Endpoints.haproxyWrite(spec, spec.postgresql().database(), spec.postgresql().superuser()),
                        probe.superPassword());
            } catch (ConnectError e) {
                return new Through(null, false);
            }
            try {
                String member = probe.memberAt(ReplicationQueries.serverAddress(c)).orElse(null);
                try {
                    return new Through(member, member != null && insert(c, member, "haproxy"));
                } catch (SQLException e) {
                    return new Through(member, false);
                }
            } catch (ConnectError e) {
                return new Through(null, false);
            } finally {
                Sql.close(c);
            }
        }

        /** True when acknowledged; false when refused as read-only; any other failure is thrown. */
        private boolean insert(Connection c, String member, String via) throws SQLException {
            long seq = sequence.incrementAndGet();
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + TABLE + " (seq, member, via) VALUES (?, ?, ?)")) {
                ps.setLong(1, seq);
                ps.setString(2, member);
                ps.setString(3, via);
                ps.executeUpdate();
                acknowledged.put(seq, member);
                return true;
            } catch (SQLException e) {
                if ("25006".equals(e.getSQLState())) {
                    return false;
                }
                throw e;
            }
        }

        private static <T> Optional<T> get(Future<T> f) {
            try {
                return Optional.ofNullable(f.get(5, TimeUnit.SECONDS));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            } catch (Exception e) {
                f.cancel(true);
                return Optional.empty();
            }
        }
    }
}
