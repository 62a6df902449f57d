package io.connectha.replication;

import io.connectha.cluster.MemberSpec;
import io.connectha.error.ConnectError;
import io.connectha.pg.Sql;
import io.connectha.process.Progress;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The seed's replication test, timed: rows inserted then updated on the primary, each change
 * waited for on every standby. Each standby is polled in a tight loop on its own open connection
 * and thread, timed with System.nanoTime, so sub-millisecond delays show.
 */
public final class ReplicationVerify {

    /** Per standby: how long changes took to become visible after their commit returned. */
    public record StandbyTiming(String member, int changes, Duration p50, Duration p95, Duration max, long primaryRows,
                                long standbyRows, boolean caughtUp, String error) {
        public boolean passed() {
            return caughtUp && error == null && primaryRows == standbyRows;
        }
    }

    public record Result(String primary, String table, int rows, List<StandbyTiming> standbys, Duration took) {
        public boolean passed() {
            return !standbys.isEmpty() && standbys.stream().allMatch(StandbyTiming::passed);
        }
    }

    private final ReplicationContext context;
    private final Progress progress;

    public ReplicationVerify(ReplicationContext context, Progress progress) {
        this.context = context;
        this.progress = progress;
    }

    public Result run(int rows, Duration deadline) {
        long start = System.nanoTime();
        ReplicationStatus status = ReplicationStatus.read(context);
        List<ReplicationStatus.Member> primaries = status.primaries();
        if (primaries.isEmpty()) {
            // a primary that did not answer is the real reason: report it with its own exit code
            status.members().stream().filter(m -> !m.reachable()).findFirst().ifPresent(m -> {
                throw new ConnectError(m.errorKind(), m.error());
            });
        }
        if (primaries.size() != 1) {
            throw new ConnectError(ConnectError.Kind.FAILURE, "expected one primary, found " + primaries.size()
                    + (status.anyUnreachable() ? "; unreachable: " + status.members().stream().filter(m -> !m.reachable())
                    .map(m -> m.name() + " (" + m.error() + ")").toList() : ""));
        }
        MemberSpec primary = context.member(primaries.get(0).name());
        List<MemberSpec> standbys = status.members().stream().filter(m -> m.role().equals("standby"))
                .map(m -> context.member(m.name())).toList();
        if (standbys.isEmpty()) {
            throw new ConnectError(ConnectError.Kind.FAILURE, "no standby answered; nothing to verify");
        }
        String table = "connect_verify_" + Long.toHexString(System.currentTimeMillis());
        Connection p = context.superuser(primary);
        List<Connection> conns = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(standbys.size());
        try {
            for (MemberSpec s : standbys) {
                conns.add(context.superuser(s));
            }
            Sql.execute(p, "CREATE TABLE " + table + " (id int PRIMARY KEY, v int NOT NULL)");
            long[][] delays = new long[standbys.size()][2 * rows];
            boolean[] late = new boolean[standbys.size()];
            int[] measured = new int[standbys.size()];
            String[] errors = new String[standbys.size()];
            // the table itself must have arrived before rows can be looked for
            awaitAll(pool, conns, "SELECT count(*) FROM pg_class WHERE relname = '" + table + "'", 1, deadline, null, null, late, errors);
            progress.info("inserting " + rows + " rows into " + table + " on " + primary.name()
                    + ", then updating them; waiting for each on " + String.join(", ", standbys.stream().map(MemberSpec::name).toList()));
            try (PreparedStatement insert = p.prepareStatement("INSERT INTO " + table + " VALUES (?, 1)");
                 PreparedStatement update = p.prepareStatement("UPDATE " + table + " SET v = 2 WHERE id = ?")) {
                for (int i = 0; i < 2 * rows && !anyLate(late); i++) {
                    int id = i % rows;
                    PreparedStatement change = i < rows ? insert : update;
                    change.setInt(1, id);
                    change.executeUpdate();
                    awaitAll(pool, conns, "SELECT v FROM " + table + " WHERE id = " + id, i < rows ? 1 : 2, deadline, delays, measured, late, errors);
                }
            }
            long primaryRows = Sql.one(p, "SELECT count(*) FROM " + table + " WHERE v = 2", rs -> rs.getLong(1));
            List<StandbyTiming> timings = new ArrayList<>();
            for (int s = 0; s < standbys.size(); s++) {
                long standbyRows = late[s] ? -1 : Sql.one(conns.get(s), "SELECT count(*) FROM " + table + " WHERE v = 2", rs -> rs.getLong(1));
                long[] d = Arrays.copyOf(delays[s], measured[s]);
                Arrays.sort(d);
                timings.add(new StandbyTiming(standbys.get(s).name(), d.length, percentile(d, 50), percentile(d, 95),
                        d.length == 0 ? null : Duration.ofNanos(d[d.length - 1]), primaryRows, standbyRows, !late[s], errors[s]));
            }
            return new Result(primary.name(), table, rows, timings, Duration.ofNanos(System.nanoTime() - start));
        } catch (SQLException e) {
            throw ConnectError.failure("verify failed on " + primary.name() + ": " + e.getMessage(), e);
        } finally {
            pool.shutdownNow();
            try {
                Sql.execute(p, "DROP TABLE IF EXISTS " + table);
            } catch (RuntimeException e) {
                // the first failure is the one to report; a table left behind is named
                progress.warn("could not drop " + table + " on " + primary.name() + ": " + e.getMessage());
            } finally {
                Sql.close(p);
                conns.forEach(Sql::close);
            }
        }
    }

    private static boolean anyLate(boolean[] late) {
        for (boolean l : late) {
            if (l) {
                return true;
            }
        }
        return false;
    }

    /** Polls every standby at once until the query answers {@code expected}; records each delay in ns. */
    private static void awaitAll(ExecutorService pool, List<Connection> conns, String query, long expected, Duration deadline,
                                 long[][] delays, int[] measured, boolean[] late, String[] errors) {
        long t0 = System.nanoTime();
        long end = t0 + deadline.toNanos();
        List<Future<Long>> waits = new ArrayList<>();
        for (Connection c : conns) {
            waits.add(pool.submit(() -> {
                try (PreparedStatement ps = c.prepareStatement(query)) {
                    while (true) {
                        try (ResultSet rs = ps.executeQuery()) {
                            if (rs.next() && rs.getLong(1) == expected) {
                                return System.nanoTime() - t0;
                            }
                        }
                        if (System.nanoTime() > end) {
                            return -1L;
                        }
                    }
                }
            }));
        }
        for (int s = 0; s < waits.size(); s++) {
            try {
                long d = waits.get(s).get();
                if (d < 0) {
                    late[s] = true;
                } else if (delays != null) {
                    delays[s][measured[s]++] = d;
                }
            } catch (ExecutionException e) {
                late[s] = true;
                errors[s] = e.getCause().getMessage();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw ConnectError.failure("interrupted", e);
            }
        }
    }

    private static Duration percentile(long[] sorted, int p) {
        long v = io.connectha.units.Percentile.of(sorted, p);
        return v < 0 ? null : Duration.ofNanos(v);
    }
}
