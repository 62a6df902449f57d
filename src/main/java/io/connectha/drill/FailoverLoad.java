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

    /** What the load saw, once stopped; {@code probe} is null without --probe-url. */
    record Seen(WriteLoad writes, ReadLoad.Result readers, HttpProbe.Result probe, Duration ran) {

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
    private long startNanos;
    private Seen seen;

    FailoverLoad(PgConnector pg, ClusterSpec spec, FailoverDrill.Via via, String appPassword, String probeUrl, Duration probeInterval) {
        this.writers = writers(pg, spec, via, appPassword);
        this.readers = new ReadLoad(pg, Endpoints.haproxyRead(spec, spec.postgresql().database(), spec.postgresql().appUser()),
                appPassword);
        this.probe = probeUrl == null ? null : new HttpProbe(probeUrl, probeInterval);
    }

    void start(int clients, int readerCount) {
        writers.start(clients);
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
            ReadLoad.Result reads = readers.stop();
            HttpProbe.Result probed = probe == null ? null : probe.stop();
            seen = new Seen(writers, reads, probed, Duration.ofNanos(System.nanoTime() - startNanos));
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
