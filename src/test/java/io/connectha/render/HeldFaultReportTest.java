package io.connectha.render;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.connectha.drill.DrillReport;
import io.connectha.drill.FailoverDrill;
import io.connectha.drill.FailoverVerdict;
import io.connectha.drill.FaultKind;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A held fault's report, made by hand: its fields come after versions, flat; its lines in the summary; its window criterion in junit.xml. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class HeldFaultReportTest {

    private static DrillReport report(boolean synchronous, long lost) {
        FailoverVerdict.Thresholds t = new FailoverVerdict.Thresholds(Duration.ofSeconds(30), 0, 0.05, Duration.ofSeconds(2),
                Duration.ofSeconds(60));
        DrillReport.Subject subject = new DrillReport.Subject("lab", FaultKind.FREEZE_PATRONI, "pg2", FailoverDrill.Via.haproxy, null, "pg2",
                "pg1", Instant.parse("2026-12-05T07:33:27Z"), 3);
        DrillReport.Timeline timeline = new DrillReport.Timeline(Duration.ofMillis(8_860), Duration.ofMillis(13_641), Duration.ofMillis(13_750),
                Duration.ofMillis(14_009), null, Duration.ofMillis(13_943), Duration.ofMillis(8_718), Duration.ofMillis(23_918),
                Duration.ofMillis(23_918), Duration.ofMillis(50));
        DrillReport.Writes writes = new DrillReport.Writes(8377, 300, 0.03, Duration.ofMillis(2), Duration.ofMillis(12), Duration.ofMillis(262), 435);
        DrillReport.Data data = new DrillReport.Data(18396, 0, 0L, 0);
        DrillReport.Held held = new DrillReport.Held(null, null, Duration.ofMillis(14_047), Duration.ofMillis(13_753), 2,
                new DrillReport.WriteWindow(Duration.ofMillis(14_437), 215, 215 - lost, lost, lost == 0 ? 0 : 37_760, synchronous),
                new DrillReport.StatusDuringFault(5, Duration.ofMillis(3_000), Duration.ofMillis(2_021), Duration.ofMillis(3_500),
                        List.of("patroni_unreachable"), true));
        FailoverVerdict verdict = FailoverVerdict.judge(new FailoverVerdict.Observed(subject.fault(), true, "pg2", "pg1", null,
                timeline.clientRto(), 0, 0, writes.errorRate(), writes.latencyP95(), timeline.rejoin(), timeline.healthy(), null,
                new FailoverVerdict.Window(lost, synchronous)), t);
        DrillReport.Reads reads = new DrillReport.Reads(0, 0, 0, 0, 0, 0, Map.of());
        return new DrillReport(subject, timeline, writes, data, reads, null, verdict, null, null, held);
    }

    @Test
    void the_held_fields_come_flat_after_versions_with_their_values() throws Exception {
        JsonNode j = new ObjectMapper().readTree(Renderer.json(DrillView.json(report(false, 215))));
        List<String> names = new ArrayList<>();
        j.fieldNames().forEachRemaining(names::add);
        assertThat(names.subList(names.indexOf("versions") + 1, names.size())).containsExactly("seed", "fault_for_ms", "restored_at_ms",
                "held_ms", "leader_side_clients", "write_window_ms", "window_writes", "window_writes_survived", "window_writes_lost",
                "window_lost_wal_bytes", "status_during_fault");
        assertThat(j.path("seed").isNull()).isTrue();
        assertThat(j.path("restored_at_ms").asLong()).isEqualTo(14_047);
        assertThat(j.path("held_ms").asLong()).isEqualTo(13_753);
        assertThat(j.path("write_window_ms").asLong()).isEqualTo(14_437);
        assertThat(j.path("window_writes_lost").asLong()).isEqualTo(215);
        assertThat(j.path("window_lost_wal_bytes").asLong()).isEqualTo(37_760);
        assertThat(j.at("/status_during_fault/exit_code").asInt()).isEqualTo(5);
        assertThat(j.at("/status_during_fault/took_ms").asLong()).isEqualTo(2_021);
        assertThat(j.at("/status_during_fault/problems/0").asText()).isEqualTo("patroni_unreachable");
        assertThat(j.at("/status_during_fault/names_target").asBoolean()).isTrue();
    }

    @Test
    void the_summary_says_the_hold_the_window_and_what_status_said() {
        StringWriter out = new StringWriter();
        DrillView.summary(new PrintWriter(out, true), report(false, 215));
        assertThat(out.toString()).contains(
                "Held 13753 ms (until the leader settled, at least ttl + loop_wait); restored at 14047 ms from the fault",
                "Old leader's write window: 14437 ms; 2 clients on its side: 215 window writes, 0 survived, 215 lost (>= ",
                "Status during the fault (at 3000 ms): exit 5 in 2021 ms (deadline 3500 ms); problems patroni_unreachable; names pg2",
                "old leader's window writes lost");
        assertThat(out.toString()).startsWith("Drill freeze-patroni on lab: PASSED");
    }

    @Test
    void in_synchronous_mode_a_lost_window_write_is_a_failed_test_case() {
        String junit = DrillView.junit(report(true, 1));
        assertThat(junit).contains("name=\"old leader's window writes lost\"",
                "<failure message=\"1 of 215 (&gt;= 37760 bytes of WAL) (required 0 (synchronous_mode: its commits must block))\"/>");
        assertThat(DrillView.junit(report(true, 0))).contains("name=\"old leader's window writes lost\"").doesNotContain("<failure");
        // asynchronous: reported, a test case that passes
        assertThat(DrillView.junit(report(false, 215))).contains("name=\"old leader's window writes lost\"").doesNotContain("<failure");
    }
}
