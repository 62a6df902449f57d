package io.connectha.drill;

import io.connectha.units.Percentile;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * {@code --repeat N}: every run, and the distribution of each phase across the runs that observed it.
 * report.json when N > 1 is this record's view in render; see docs/drills.md. The distribution is keyed by
 * the figures' names in report.json, in ms for times.
 */
public record DrillSeries(String cluster, FaultKind fault, int repeat, List<DrillReport> runs, Map<String, Distribution> distribution,
                          boolean passed) {

    /** Nearest-rank percentiles over the runs; {@code runs} counts the runs that observed the figure. */
    public record Distribution(int runs, long p50, long p95, long max) {
    }

    public static DrillSeries of(List<DrillReport> runs) {
        Map<String, Distribution> d = new LinkedHashMap<>();
        put(d, "client_rto_ms", runs, r -> millis(r.timeline().clientRto()));
        put(d, "detection_ms", runs, r -> millis(r.timeline().detection()));
        put(d, "new_leader_key_ms", runs, r -> millis(r.timeline().newLeaderKey()));
        put(d, "writable_ms", runs, r -> millis(r.timeline().writable()));
        put(d, "haproxy_ms", runs, r -> millis(r.timeline().haproxy()));
        put(d, "etcd_leader_ms", runs, r -> millis(r.timeline().etcdLeader()));
        put(d, "longest_gap_ms", runs, r -> millis(r.timeline().longestGap()));
        put(d, "rejoin_ms", runs, r -> millis(r.timeline().rejoin()));
        put(d, "healthy_ms", runs, r -> millis(r.timeline().healthy()));
        put(d, "lost_writes", runs, r -> r.data().lostWrites());
        put(d, "writes_per_second", runs, r -> Math.round(r.writes().writesPerSecond()));
        DrillReport first = runs.get(0);
        return new DrillSeries(first.subject().cluster(), first.subject().fault(), runs.size(), runs, d,
                runs.stream().allMatch(DrillReport::passed));
    }

    private static Long millis(Duration d) {
        return d == null ? null : d.toMillis();
    }

    private static void put(Map<String, Distribution> d, String name, List<DrillReport> runs, Function<DrillReport, Long> figure) {
        List<Long> values = new ArrayList<>(runs.stream().map(figure).filter(Objects::nonNull).toList());
        if (values.isEmpty()) {
            return;
        }
        long[] sorted = values.stream().mapToLong(Long::longValue).sorted().toArray();
        d.put(name, new Distribution(sorted.length, Percentile.of(sorted, 50), Percentile.of(sorted, 95), sorted[sorted.length - 1]));
    }
}
