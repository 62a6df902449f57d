package io.connectha.drill;

import io.connectha.cluster.ClusterSpec;
import io.connectha.cluster.PgbouncerSpec;
import io.connectha.pg.Endpoints;
import io.connectha.pg.PgConnector;
import io.connectha.units.Percentile;

import java.time.Duration;

/**
 * What the failover drill puts on the cluster while it measures: writers on the chosen path, readers on
 * HAProxy's read port, and optionally an HTTP probe. Stopping it once gives what they saw.
 */
final class FailoverLoad {

    /**
     * What the load saw, once stopped; {@code probe} is null without --probe-url, {@code leaderSide} without writers
     * straight to the old leader.
     */
    record Seen(WriteLoad writes, ReadLoad.Result readers, HttpProbe.Result probe, Duration ran, WriteLoad leaderSide) {

        Seen(WriteLoad writes, ReadLoad.Result readers, HttpProbe.Result probe, Duration ran) {
            this(writes, readers, probe, ran, null);
        }

        /** The leader-side writers' acknowledged writes; none without them. */
        java.util.List<WriteLoad.Ack> leaderSideAcks() {
            return leaderSide == null ? java.util.List.of() : leaderSide.acks();
        }

        DrillReport.Reads reads(int readerCount) {
            long attempts = readers.ok() + readers.failed();
            return new DrillReport.Reads(readerCount, readers.ok(), readers.failed(), attempts == 0 ? 0 : (double) readers.failed() / attempts,
                    Math.max(0, Percentile.of(readers.sortedLatencyNanos(), 95)) / 1e6, Drills.ms(readers.longestGapNanos()),
                    readers.byMember());
        }

        /** Null without --probe-url. */
        DrillReport.Probe probeReport(Duration interval) {
            return probe == null ? null : new DrillReport.Probe(probe.url(), interval.toMillis(), probe.probes(), probe.failed(),
                    Drills.ms(probe.longestOutageNanos()), probe.lastError());
        }
    }

    private final WriteLoad writers;
    private final ReadLoad readers;
    private final HttpProbe probe;
    private WriteLoad leaderSide;
    private int leaderSideClients;
    private long startNanos;
    private Seen seen;

    FailoverLoad(PgConnector pg, ClusterSpec spec, FailoverDrill.Via via, String appPassword, String probeUrl, Duration probeInterval) {
        this.writers = writers(pg, spec, via, appPassword);
        this.readers = new ReadLoad(pg, Endpoints.haproxyRead(spec, spec.postgresql().database(), spec.postgresql().appUser()),
                appPassword);
        this.probe = probeUrl == null ? null : new HttpProbe(probeUrl, probeInterval);
    }

    /**
     * Adds writers connected straight to the old leader's PostgreSQL, not through HAProxy, as an application on the
     * leader's side of a partition would be; their rows have sequence numbers of their own. Before {@link #start}.
     */
    void leaderSide(PgConnector pg, PgConnector.Endpoint oldLeader, String appPassword, int clients) {
        if (clients > 0) {
            this.leaderSide = new WriteLoad(pg, oldLeader, appPassword, PgConnector.Mode.DIRECT, "connect_drill", LEADER_SIDE_SEQS,
                    LEADER_SIDE_CLIENTS);
            this.leaderSideClients = clients;
        }
    }

    /** Where the leader-side writers' sequence numbers and client numbers start: far from the drill's own clients'. */
    static final long LEADER_SIDE_SEQS = 1_000_000_000L;
    static final int LEADER_SIDE_CLIENTS = 1000;

    void start(int clients, int readerCount) {
        writers.start(clients);
        if (leaderSide != null) {
            leaderSide.start(leaderSideClients);
        }
        readers.start(readerCount);
        if (probe != null) {
            probe.start();
        }
        startNanos = System.nanoTime();
    }

    /** Stops every part (again, harmlessly, on Ctrl-C); the first stop's view is kept. */
    synchronized Seen stop() {
        if (seen == null) {
            writers.stop();
            if (leaderSide != null) {
                leaderSide.stop();
            }
            ReadLoad.Result reads = readers.stop();
            HttpProbe.Result probed = probe == null ? null : probe.stop();
            seen = new Seen(writers, reads, probed, Duration.ofNanos(System.nanoTime() - startNanos), leaderSide);
        }
        return seen;
    }

    private static WriteLoad writers(PgConnector pg, ClusterSpec spec, FailoverDrill.Via via, String appPassword) {
        if (via == FailoverDrill.Via.pgbouncer) {
            PgbouncerSpec b = spec.pgbouncer();
            return new WriteLoad(pg, Endpoints.pgbouncer(spec, spec.postgresql().database(), spec.postgresql().appUser()), appPassword,
                    b.poolMode() == PgbouncerSpec.PoolMode.session ? PgConnector.Mode.DIRECT : PgConnector.Mode.TRANSACTION_POOLED);
        }
        return new WriteLoad(pg, DrillSteps.writePort(spec), appPassword, PgConnector.Mode.DIRECT);
    }
}
