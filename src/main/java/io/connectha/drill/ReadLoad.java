package io.connectha.drill;

import io.connectha.pg.PgConnector;
import io.connectha.pg.Sql;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Readers on HAProxy's read port while the drill writes: each reads where its connection lands
 * ({@code inet_server_addr()}), with the outcome and latency recorded. A reader reconnects at once
 * after a failure, as the writers do.
 */
final class ReadLoad {

    /** What the readers saw: successes, failures, latencies (sorted, ns) and which member answered how often. */
    record Result(long ok, long failed, long[] sortedLatencyNanos, Map<String, Long> byMember, long longestGapNanos) {
    }

    private record Read(long atNanos, long latencyNanos, String member) {
    }

    private final PgConnector pg;
    private final PgConnector.Endpoint endpoint;
    private final String password;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final List<List<Read>> reads = new ArrayList<>();
    private final List<long[]> failures = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();

    ReadLoad(PgConnector pg, PgConnector.Endpoint endpoint, String password) {
        this.pg = pg;
        this.endpoint = endpoint;
        this.password = password;
    }

    void start(int readers) {
        for (int i = 0; i < readers; i++) {
            List<Read> mine = new ArrayList<>();
            long[] failed = new long[1];
            reads.add(mine);
            failures.add(failed);
            Thread t = new Thread(() -> read(mine, failed), "drill-reader-" + i);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
    }

    private void read(List<Read> mine, long[] failed) {
        Connection c = null;
        while (running.get()) {
            long sent = System.nanoTime();
            try {
                if (c == null) {
                    c = pg.connect(endpoint, password);
                }
                try (Statement st = c.createStatement();
                     ResultSet rs = st.executeQuery("SELECT host(inet_server_addr()) || ':' || inet_server_port()")) {
                    rs.next();
                    long now = System.nanoTime();
                    mine.add(new Read(now, now - sent, rs.getString(1)));
                }
                WriteLoad.pause(2); // readers should not starve the writers on a small machine
            } catch (Exception e) {
                failed[0]++;
                Sql.close(c);
                c = null;
                WriteLoad.pause(20);
            }
        }
        Sql.close(c);
    }

    /** Stops the readers and returns what they saw. */
    Result stop() {
        running.set(false);
        WriteLoad.join(threads);
        long ok = 0;
        long failed = 0;
        long longestGap = 0;
        Map<String, Long> byMember = new TreeMap<>();
        List<Long> latencies = new ArrayList<>();
        for (int i = 0; i < reads.size(); i++) {
            long previous = -1;
            for (Read r : reads.get(i)) {
                ok++;
                latencies.add(r.latencyNanos());
                byMember.merge(r.member(), 1L, Long::sum);
                if (previous >= 0) {
                    longestGap = Math.max(longestGap, r.atNanos() - previous);
                }
                previous = r.atNanos();
            }
            failed += failures.get(i)[0];
        }
        return new Result(ok, failed, latencies.stream().mapToLong(Long::longValue).sorted().toArray(), byMember, longestGap);
    }
}
