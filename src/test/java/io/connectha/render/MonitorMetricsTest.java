package io.connectha.render;

import io.connectha.check.CheckItem;
import io.connectha.check.CheckState;
import io.connectha.check.CheckStatus;
import io.connectha.check.ItemResult;
import io.connectha.check.ItemsReport;
import io.connectha.monitor.Event;
import io.connectha.monitor.EventType;
import io.connectha.monitor.MonitorSnapshot;
import io.connectha.monitor.ProbeFigures;
import io.connectha.monitor.Round;
import io.connectha.status.ClusterStatus;
import io.connectha.status.StatusSamples;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class MonitorMetricsTest {

    private static final Instant NOW = Instant.parse("2026-12-05T14:00:10Z");

    static MonitorSnapshot snapshot(ClusterStatus status) {
        ItemsReport items = new ItemsReport("lab", CheckStatus.WARNING, List.of(
                new ItemResult(CheckItem.leader, CheckStatus.OK, null, List.of()),
                new ItemResult(CheckItem.timeline_changed, CheckStatus.WARNING, null, List.of())), NOW, Duration.ofMillis(40));
        Round round = new Round(status, items, CheckState.none("lab"), Map.of(), NOW.minusMillis(250));
        double[] bounds = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5};
        long[] counts = {0, 10, 60, 90, 95, 95, 95, 95, 95, 97, 97, 98};
        ProbeFigures.Window hour = new ProbeFigures.Window("1h", Duration.ofHours(1), Duration.ofMinutes(10), Duration.ofMillis(2300),
                1 - 2.3 / 600, Duration.ofMillis(3600), Duration.ofMillis(1300));
        ProbeFigures probe = new ProbeFigures(99.9, List.of(
                new ProbeFigures.Path("write", 95, 3, bounds, counts, 1.25, true, 1, Duration.ofMillis(2300), null, null, List.of(hour)),
                new ProbeFigures.Path("read", 98, 0, bounds, counts, 0.5, true, 0, null, null, Duration.ofMillis(120), List.of())));
        Map<EventType, Long> events = new EnumMap<>(EventType.class);
        events.put(EventType.leader_changed, 2L);
        return new MonitorSnapshot(NOW, NOW.minusSeconds(600), 99.9, round, Duration.ofMillis(85), 600,
                Map.of("etcd/http://127.0.0.21:2379", NOW.minusSeconds(4)), probe, events, 2, "pg1", "http://127.0.0.21:2379", NOW, 0, 0, true);
    }

    @Test
    void every_family_a_prometheus_user_expects_with_its_value() {
        String text = MonitorMetrics.render(snapshot(StatusSamples.healthy()), "lab");
        assertThat(text.lines()).contains(
                "connect_cluster_has_leader{cluster=\"lab\"} 1",
                "connect_cluster_leader_changes_total{cluster=\"lab\"} 2",
                "connect_member_is_leader{cluster=\"lab\",member=\"pg1\"} 1",
                "connect_member_role{cluster=\"lab\",member=\"pg2\",role=\"replica\"} 1",
                "connect_member_streaming{cluster=\"lab\",member=\"pg3\"} 1",
                "connect_etcd_quorum{cluster=\"lab\"} 1",
                "connect_haproxy_write_reaches_leader{cluster=\"lab\"} 1",
                "connect_monitor_gather_age_seconds{cluster=\"lab\"} 0.25",
                "connect_monitor_component_age_seconds{cluster=\"lab\",component=\"etcd\",instance=\"http://127.0.0.21:2379\"} 4",
                "connect_monitor_events_total{cluster=\"lab\",type=\"leader_changed\"} 2",
                "connect_check_status{cluster=\"lab\",item=\"timeline_changed\"} 1",
                "connect_probe_requests_total{cluster=\"lab\",path=\"write\",result=\"error\"} 3",
                "connect_probe_duration_seconds_bucket{cluster=\"lab\",path=\"write\",le=\"0.005\"} 60",
                "connect_probe_duration_seconds_bucket{cluster=\"lab\",path=\"write\",le=\"+Inf\"} 98",
                "connect_probe_duration_seconds_count{cluster=\"lab\",path=\"write\"} 98",
                "connect_probe_read_staleness_seconds{cluster=\"lab\"} 0.12",
                "connect_slo_objective_ratio{cluster=\"lab\"} 0.999",
                "connect_slo_error_budget_remaining_seconds{cluster=\"lab\",path=\"write\",window=\"1h\"} 1.3",
                "connect_monitor_start_time_seconds{cluster=\"lab\"} 1796478610");
        // the leader is not a replica: it has no streaming figure, and no lag
        assertThat(text).doesNotContain("connect_member_streaming{cluster=\"lab\",member=\"pg1\"}")
                .doesNotContain("connect_member_lag_bytes{cluster=\"lab\",member=\"pg1\"}");
    }

    @Test
    void a_problem_is_a_sample_and_a_down_postgresql_is_up_0() {
        String text = MonitorMetrics.render(snapshot(StatusSamples.postgresDown("pg2")), "lab");
        assertThat(text.lines()).contains("connect_member_up{cluster=\"lab\",member=\"pg2\",component=\"postgres\"} 0",
                "connect_cluster_problem{cluster=\"lab\",code=\"postgres_unreachable\",member=\"pg2\",severity=\"critical\"} 1");
    }

    @Test
    void each_family_is_declared_once_and_its_samples_are_together() {
        String text = MonitorMetrics.render(snapshot(StatusSamples.healthy()), "lab");
        List<String> types = text.lines().filter(l -> l.startsWith("# TYPE ")).toList();
        assertThat(types).doesNotHaveDuplicates();
        assertThat(types).contains("# TYPE connect_probe_duration_seconds histogram", "# TYPE connect_probe_requests_total counter");
    }

    @Test
    void promtool_accepts_it(@TempDir Path dir) throws IOException, InterruptedException {
        assumeTrue(new java.io.File("/usr/bin/promtool").canExecute(), "promtool is installed by scripts/install-deps.sh");
        Path file = dir.resolve("metrics.txt");
        Files.writeString(file, MonitorMetrics.render(snapshot(StatusSamples.postgresDown("pg2")), "lab"), StandardCharsets.UTF_8);
        Process p = new ProcessBuilder("promtool", "check", "metrics").redirectInput(file.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).as("promtool's lint finds nothing to say").isEmpty();
    }

    @Test
    void an_event_is_one_json_line_in_a_fixed_order() {
        Event e = new Event(Instant.parse("2026-12-05T14:00:00.123Z"), EventType.probe_recovered, "lab", null, null, "write", "probe",
                Duration.ofMillis(2345), null, "the probe's write path works again after 2345 ms");
        assertThat(MonitorView.eventJson(e)).isEqualTo("{\"ts\":\"2026-12-05T14:00:00.123Z\",\"type\":\"probe_recovered\",\"cluster\":\"lab\","
                + "\"to\":\"write\",\"source\":\"probe\",\"outage_ms\":2345,\"message\":\"the probe's write path works again after 2345 ms\"}");
        assertThat(MonitorView.eventLine(e)).isEqualTo("2026-12-05T14:00:00.123Z  probe_recovered  the probe's write path works again after 2345 ms");
    }
}
