package io.connectha.check;

import io.connectha.cluster.MemberSpec;
import io.connectha.pg.NodeState;
import io.connectha.pg.ReplicationConnection;
import io.connectha.pg.ReplicationSlot;
import io.connectha.render.CheckView;
import io.connectha.render.Renderer;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The lines monitoring systems parse, pinned byte for byte from hand-made probes: the Nagios status line
 * with its perfdata, the table's reasons and the JSON's summary and reason fields.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class CheckLinesTest {

    private static final Thresholds THRESHOLDS = new Thresholds(1 << 20, 16 << 20, Duration.ofSeconds(10), Duration.ofSeconds(60));
    private static final Instant START = Instant.parse("2026-12-05T01:00:00Z");

    private static MemberSpec member(String name, int port) {
        return new MemberSpec(name, "127.0.0.1", port, 8008, "/data/" + name, null);
    }

    private static MemberProbes.Probe leader(List<ReplicationConnection> replication, List<ReplicationSlot> slots) {
        return new MemberProbes.Probe(member("pg1", 5432), new NodeState(false, 100_000_000L, null, null, null, 3, null, false),
                replication, slots, null);
    }

    private static MemberProbes.Probe replica(String name, long replayLsn, boolean streaming) {
        return new MemberProbes.Probe(member(name, 5433), new NodeState(true, null, replayLsn, replayLsn, Instant.now().minusSeconds(5), 3,
                streaming ? "streaming" : null, false), List.of(), List.of(), null);
    }

    private static ReplicationConnection streams(String name, Duration replayLag) {
        return new ReplicationConnection(name, "127.0.0.1", "streaming", "async", null, null, null, null, null, null, null, replayLag);
    }

    private static ReplicationSlot slot(String name, boolean active, Long retained) {
        return new ReplicationSlot(name, "physical", active, 1L, retained, "reserved");
    }

    private static LagReport lag(List<MemberProbes.Probe> probes, Map<String, Duration> heartbeat) {
        return LagCheck.judge("main", probes, new LagCheck.Options(THRESHOLDS, null, !heartbeat.isEmpty(), Duration.ofSeconds(10)),
                heartbeat, START);
    }

    @Test
    void lag_ok_and_warning_and_critical_lines_are_unchanged() {
        LagReport r = lag(List.of(leader(List.of(streams("pg2", null), streams("pg3", Duration.ofMillis(12_500))),
                        List.of(slot("pg2", true, 0L), slot("pg3", true, 3_000_000L))),
                replica("pg2", 100_000_000L, true), replica("pg3", 97_000_000L, true)), Map.of());
        assertThat(CheckView.nagios("REPLICATION LAG", r)).isEqualTo("REPLICATION LAG WARNING - pg2 0 B, 0 ms; "
                + "pg3 2.9 MB, 12.5 s (2.9 MB behind (warning 1.0 MB), 12.5 s behind (warning 10.0 s)) | "
                + "'pg2_lag_bytes'=0B;1048576;16777216;0; 'pg2_lag_seconds'=0.000s;10.000;60.000;0; 'pg2_streaming'=1;;;0;1 "
                + "'pg3_lag_bytes'=3000000B;1048576;16777216;0; 'pg3_lag_seconds'=12.500s;10.000;60.000;0; 'pg3_streaming'=1;;;0;1");

        LagReport critical = lag(List.of(leader(List.of(streams("pg2", Duration.ofSeconds(90))), List.of(slot("pg2", false, null))),
                replica("pg2", 60_000_000L, false)), Map.of());
        assertThat(CheckView.nagios("REPLICATION LAG", critical)).isEqualTo("REPLICATION LAG CRITICAL - pg2 38.1 MB, 1 min 30 s "
                + "(slot inactive, 38.1 MB behind (critical 16.0 MB), 1 min 30 s behind (critical 1 min 0 s)) | "
                + "'pg2_lag_bytes'=40000000B;1048576;16777216;0; 'pg2_lag_seconds'=90.000s;10.000;60.000;0; 'pg2_streaming'=1;;;0;1");
        assertThat(CheckView.reason(critical.replicas().get(0), THRESHOLDS))
                .isEqualTo("slot inactive, 38.1 MB behind (critical 16.0 MB), 1 min 30 s behind (critical 1 min 0 s)");
    }

    @Test
    void lag_lines_for_an_unreachable_replica_and_a_missing_leader_are_unchanged() {
        MemberProbes.Probe down = new MemberProbes.Probe(member("pg3", 5434), null, List.of(), List.of(),
                "could not reach PostgreSQL on pg3 at 127.0.0.1:5434 within 1000 ms: Connection refused");
        LagReport r = lag(List.of(leader(List.of(), List.of()), replica("pg2", 99_999_000L, false), down), Map.of());
        assertThat(CheckView.nagios("REPLICATION LAG", r)).isEqualTo("REPLICATION LAG CRITICAL - pg2 1000 B, 5.0 s (not streaming); "
                + "pg3 unreachable: could not reach PostgreSQL on pg3 at 127.0.0.1:5434 within 1000 ms: Connection refused | "
                + "'pg2_lag_bytes'=1000B;1048576;16777216;0; 'pg2_lag_seconds'=5.000s;10.000;60.000;0; 'pg2_streaming'=0;;;0;1 "
                + "'pg3_streaming'=0;;;0;1");

        LagReport none = lag(List.of(down, replica("pg2", 5L, true)), Map.of());
        assertThat(CheckView.nagios("REPLICATION LAG", none)).isEqualTo("REPLICATION LAG UNKNOWN - the leader cannot be reached "
                + "(pg3: could not reach PostgreSQL on pg3 at 127.0.0.1:5434 within 1000 ms: Connection refused)");
        MemberProbes.Probe other = new MemberProbes.Probe(member("pg2", 5433), new NodeState(false, 5L, null, null, null, 4, null, false),
                List.of(), List.of(), null);
        assertThat(CheckView.nagios("REPLICATION LAG", lag(List.of(leader(List.of(), List.of()), other), Map.of())))
                .isEqualTo("REPLICATION LAG CRITICAL - two writers: [pg1, pg2] are all out of recovery (split brain)");
        assertThat(CheckView.nagios("REPLICATION LAG", lag(List.of(leader(List.of(), List.of())), Map.of())))
                .isEqualTo("REPLICATION LAG OK - no replicas");
    }

    @Test
    void lag_with_a_heartbeat_says_where_time_came_from() {
        LagReport r = lag(List.of(leader(List.of(streams("pg2", null)), List.of()), replica("pg2", 99_000_000L, true)),
                Map.of("pg2", Duration.ofMillis(850)));
        assertThat(CheckView.nagios("REPLICATION LAG", r)).isEqualTo("REPLICATION LAG OK - pg2 977 kB, 850 ms | "
                + "'pg2_lag_bytes'=1000000B;1048576;16777216;0; 'pg2_lag_seconds'=0.850s;10.000;60.000;0; 'pg2_streaming'=1;;;0;1");
        assertThat(Renderer.json(CheckView.json(r))).contains("\"summary\" : \"pg2 977 kB, 850 ms\"", "\"time_source\" : \"heartbeat\"", "\"reason\" : \"\"");
    }

    @Test
    void lag_table_lines_are_unchanged() {
        LagReport r = lag(List.of(leader(List.of(streams("pg2", Duration.ofSeconds(20))), List.of(slot("pg2", true, 0L))),
                replica("pg2", 97_000_000L, true)), Map.of());
        StringWriter s = new StringWriter();
        CheckView.table(new PrintWriter(s, true), r);
        assertThat(s.toString().lines().toList()).startsWith("Replication lag on main: WARNING (leader pg1)")
                .anySatisfy(l -> assertThat(l).contains("2.9 MB behind (warning 1.0 MB), 20.0 s behind (warning 10.0 s)"))
                .anySatisfy(l -> assertThat(l).startsWith("Thresholds: warning 1.0 MB / 10.0 s, critical 16.0 MB / 1 min 0 s. Checked in "));
    }

    @Test
    void slot_lines_are_unchanged() {
        MemberProbes.Probe leader = leader(List.of(), List.of(slot("pg2", true, 2L << 30), slot("pg3", false, 512L),
                new ReplicationSlot("old", "physical", true, 1L, null, "lost")));
        SlotCheck.Report r = SlotCheck.judge("main", List.of(leader, replica("pg2", 1L, true)), 1L << 30, 5L << 30, START);
        assertThat(CheckView.nagios("REPLICATION SLOTS", r)).isEqualTo("REPLICATION SLOTS CRITICAL - pg2 active, keeps 2.0 GB; "
                + "pg3 INACTIVE, keeps 512 B; old active, keeps ? | 'pg2_retained_bytes'=2147483648B;1073741824;5368709120;0; "
                + "'pg2_active'=1;;;0;1 'pg3_retained_bytes'=512B;1073741824;5368709120;0; 'pg3_active'=0;;;0;1 'old_active'=1;;;0;1");
        assertThat(r.slots()).extracting(CheckView::reason).containsExactly("keeps 2.0 GB of WAL",
                "inactive: it keeps WAL until it is used or dropped", "WAL it needs is gone (wal_status lost)");

        SlotCheck.Report none = SlotCheck.judge("main", List.of(leader(List.of(), List.of())), 1L << 30, 5L << 30, START);
        assertThat(CheckView.nagios("REPLICATION SLOTS", none)).isEqualTo("REPLICATION SLOTS OK - no replication slots on pg1");
        SlotCheck.Report noLeader = SlotCheck.judge("main", List.of(replica("pg2", 1L, true)), 1L << 30, 5L << 30, START);
        assertThat(CheckView.nagios("REPLICATION SLOTS", noLeader))
                .isEqualTo("REPLICATION SLOTS UNKNOWN - the leader cannot be reached or there is none");
    }

    @Test
    void the_json_keeps_the_fields_scripts_read_in_their_order() throws Exception {
        var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
        LagReport r = lag(List.of(leader(List.of(streams("pg2", null)), List.of(slot("pg2", true, 0L))), replica("pg2", 100_000_000L, true)),
                Map.of());
        var lag = mapper.readTree(Renderer.json(CheckView.json(r)));
        assertThat(fields(lag)).containsExactly("cluster", "leader", "status", "summary", "thresholds", "replicas", "checked_at", "took");
        assertThat(fields(lag.get("thresholds"))).containsExactly("warning_bytes", "critical_bytes", "warning_time", "critical_time");
        assertThat(fields(lag.get("replicas").get(0))).containsExactly("member", "host", "port", "reachable", "streaming", "slot_active",
                "bytes_behind", "time_behind", "time_source", "status", "reason");
        assertThat(lag.get("summary").asText()).isEqualTo("pg2 0 B, 0 ms");
        assertThat(lag.get("replicas").get(0).get("bytes_behind").asLong()).isZero();

        SlotCheck.Report slots = SlotCheck.judge("main", List.of(leader(List.of(), List.of(slot("pg2", false, 10L)))), 1L << 30, 5L << 30, START);
        var json = mapper.readTree(Renderer.json(CheckView.json(slots)));
        assertThat(fields(json)).containsExactly("cluster", "leader", "status", "summary", "warning_bytes", "critical_bytes", "slots",
                "checked_at", "took");
        assertThat(fields(json.get("slots").get(0))).containsExactly("name", "type", "active", "retained_bytes", "wal_status", "status", "reason");
        assertThat(json.get("slots").get(0).get("reason").asText()).isEqualTo("inactive: it keeps WAL until it is used or dropped");
    }

    @Test
    void the_checklist_says_its_lag_figures_as_before() throws Exception {
        ClusterCheck.Report r = new ClusterCheck.Report("main", CheckStatus.CRITICAL, List.of(
                new ClusterCheck.Criterion("a single leader", true, "leader pg1"),
                new ClusterCheck.Criterion("lag under the threshold", false, null, new ClusterCheck.Lag(3_000_000L, 1L << 20)),
                new ClusterCheck.Criterion("Patroni not paused", false, "paused (maintenance mode)")), Duration.ofMillis(480), List.of());
        assertThat(CheckView.nagios("HA CHECK", r)).isEqualTo("HA CHECK CRITICAL - 2 of 3 criteria not met: "
                + "lag under the threshold: max 2.9 MB (threshold 1.0 MB); Patroni not paused: paused (maintenance mode)");
        StringWriter s = new StringWriter();
        CheckView.table(new PrintWriter(s, true), r);
        assertThat(s.toString()).isEqualTo("Validation of main: 2 not met\n"
                + "  ✓ a single leader                            leader pg1\n"
                + "  ✗ lag under the threshold                    max 2.9 MB (threshold 1.0 MB)\n"
                + "  ✗ Patroni not paused                         paused (maintenance mode)\n");
        assertThat(CheckView.measured(new ClusterCheck.Criterion("lag under the threshold", false, null, new ClusterCheck.Lag(null, 1L << 20))))
                .isEqualTo("unknown for some replica (threshold 1.0 MB)");
        var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(Renderer.json(CheckView.json(r)));
        assertThat(fields(json)).containsExactly("cluster", "status", "criteria", "took", "warnings");
        assertThat(fields(json.get("criteria").get(1))).containsExactly("name", "met", "measured");
        assertThat(json.get("criteria").get(1).get("measured").asText()).isEqualTo("max 2.9 MB (threshold 1.0 MB)");
    }

    @Test
    void a_checklist_met_with_live_configuration_warnings_lists_them_after_the_criteria() throws Exception {
        io.connectha.cluster.Problem drift = new io.connectha.cluster.Problem(io.connectha.cluster.Problem.Severity.warning, "config_drift",
                null, "loop_wait: the cluster file says 2 (patroni.loop_wait), Patroni runs 1 (live DCS config)");
        ClusterCheck.Report r = new ClusterCheck.Report("main", CheckStatus.WARNING, List.of(
                new ClusterCheck.Criterion("a single leader", true, "leader pg1")), Duration.ofMillis(480), List.of(drift));
        assertThat(CheckView.nagios("HA CHECK", r)).isEqualTo("HA CHECK WARNING - all 1 criteria met; 1 warning: "
                + "loop_wait: the cluster file says 2 (patroni.loop_wait), Patroni runs 1 (live DCS config)");
        StringWriter s = new StringWriter();
        CheckView.table(new PrintWriter(s, true), r);
        assertThat(s.toString()).isEqualTo("Validation of main: every criterion met\n"
                + "  ✓ a single leader                            leader pg1\n"
                + "  ! config_drift                               loop_wait: the cluster file says 2 (patroni.loop_wait), Patroni runs 1 (live DCS config)\n");
        var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(Renderer.json(CheckView.json(r)));
        assertThat(json.get("status").asText()).isEqualTo("WARNING");
        assertThat(json.get("warnings").get(0).get("code").asText()).isEqualTo("config_drift");
    }

    private static List<String> fields(com.fasterxml.jackson.databind.JsonNode node) {
        List<String> names = new java.util.ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
