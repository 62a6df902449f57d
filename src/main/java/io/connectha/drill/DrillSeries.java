package io.connectha.drill;

import io.connectha.units.Percentile;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * {@code --repeat N}: every run, and the distribution of each phase across the runs that observed it.
 * This record is report.json when N > 1; see docs/drills.md.
 */
public record DrillSeries(String cluster, String fault, int repeat, List<DrillReport> runs, Map<String, Distribution> distribution,
                          boolean passed) {

    /** Nearest-rank percentiles over the runs; {@code runs} counts the runs that observed the figure. */
    public record Distribution(int runs, long p50, long p95, long max) {
    }

    public static DrillSeries of(List<DrillReport> runs) {
        Map<String, Distribution> d = new LinkedHashMap<>();
        put(d, "client_rto_ms", runs, DrillReport::clientRtoMs);
        put(d, "detection_ms", runs, DrillReport::detectionMs);
        put(d, "new_leader_key_ms", runs, DrillReport::newLeaderKeyMs);
        put(d, "writable_ms", runs, DrillReport::writableMs);
        put(d, "haproxy_ms", runs, DrillReport::haproxyMs);
        put(d, "etcd_leader_ms", runs, DrillReport::etcdLeaderMs);
        put(d, "longest_gap_ms", runs, DrillReport::longestGapMs);
        put(d, "rejoin_ms", runs, DrillReport::rejoinMs);
        put(d, "healthy_ms", runs, DrillReport::healthyMs);
        put(d, "lost_writes", runs, r -> r.lostWrites());
        put(d, "writes_per_second", runs, r -> Math.round(r.writesPerSecond()));
        DrillReport first = runs.get(0);
        return new DrillSeries(first.cluster(), first.fault(), runs.size(), runs, d, runs.stream().allMatch(DrillReport::passed));
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
