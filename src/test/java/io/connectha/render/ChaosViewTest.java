package io.connectha.render;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.connectha.drill.ChaosCycle;
import io.connectha.drill.ChaosReport;
import io.connectha.drill.FailoverDrill;
import io.connectha.drill.FaultKind;
import io.connectha.drill.SetChecker;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** drill chaos's report, rendered from a hand-made campaign: the table, report.json's fields and JUnit. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ChaosViewTest {

    private static final Instant AT = Instant.parse("2026-12-05T08:00:00Z");

    private static ChaosReport report(long lostInCycle2, SetChecker.Result check) {
        ChaosReport.Options o = new ChaosReport.Options(List.of(FaultKind.SWITCHOVER, FaultKind.PATRONI_KILL), Duration.ofMinutes(3),
                Duration.ofSeconds(10), Duration.ofSeconds(5), Duration.ofMinutes(3), 31, 4, FailoverDrill.Via.haproxy, false);
        List<ChaosCycle> cycles = List.of(
                new ChaosCycle(1, FaultKind.SWITCHOVER, "pg1", AT, null, "pg1", "pg2", Duration.ofMillis(850), Duration.ofMillis(1200),
                        Duration.ofMillis(1500), 900, 12, 0, 0, Duration.ofMillis(3100)),
                new ChaosCycle(2, FaultKind.PATRONI_KILL, "pg2", AT.plusSeconds(20), null, "pg2", "pg3", Duration.ofMillis(9800),
                        Duration.ofMillis(10100), Duration.ofMillis(10400), 700, 160, lostInCycle2, 0, Duration.ofMillis(14000)));
        return new ChaosReport("lab", 31, o, AT, Duration.ofSeconds(190), false, null, cycles, check,
                null, new ChaosReport.Configuration(10, 1, 3, false, 1048576L, "the lab's own processes in /tmp/lab"));
    }

    private static SetChecker.Result check(long lost) {
        return new SetChecker.Result(1772, 1600, 1600 - lost, 1601 - lost, lost, 1, 0, 0, 0L, lost == 0 ? List.of() : List.of(1234L),
                List.of());
    }

    @Test
    void the_table_has_a_row_per_cycle_and_the_totals() {
        StringWriter out = new StringWriter();
        ChaosView.print(new PrintWriter(out), report(0, check(0)));
        String text = out.toString();
        assertThat(text).startsWith("Drill chaos on lab: PASSED (2 cycles in 3m10s, seed 31; switchover, patroni-kill; held 10s, healed 5s)");
        assertThat(text).containsPattern("1 +switchover +pg1 +pg1 -> pg2 +850 ms +1200 ms +1500 ms +900 +12 +0 +0 +3100 ms");
        assertThat(text).containsPattern("2 +patroni-kill +pg2 +pg2 -> pg3 +9800 ms +10100 ms +10400 ms +700 +160 +0 +0 +14000 ms");
        assertThat(text).contains("Totals: 2 cycles, 1600 writes acknowledged, 172 failed; lost 0, recovered 1, unexpected 0, duplicated 0; "
                + "split-brain writes 0, leader overlaps 0; cycles not healed 0; longest client RTO 10400 ms");
        assertThat(text).contains("✓ every acknowledged write present", "0 lost of 1600 acknowledged", "✓ no two leaders at once");
    }

    @Test
    void a_lost_write_fails_the_campaign_its_cycle_and_its_rule() throws Exception {
        ChaosReport r = report(1, check(1));
        assertThat(r.passed()).isFalse();
        JsonNode json = new ObjectMapper().readTree(Renderer.json(ChaosView.json(r)));
        assertThat(json.path("passed").asBoolean()).isFalse();
        assertThat(json.at("/totals/lost").asLong()).isEqualTo(1);
        assertThat(json.at("/totals/present").asLong()).isEqualTo(1599);
        assertThat(json.at("/totals/attempted").asLong()).isEqualTo(1772);
        assertThat(json.at("/totals/failed").asLong()).isEqualTo(172);
        assertThat(json.at("/totals/max_client_rto_ms").asLong()).isEqualTo(10400);
        assertThat(json.at("/set_check/lost_seqs/0").asLong()).isEqualTo(1234);
        JsonNode c2 = json.at("/cycles/1");
        assertThat(c2.path("fault").asText()).isEqualTo("patroni-kill");
        assertThat(c2.path("violated").asBoolean()).isTrue();
        assertThat(c2.path("leader_changed").asBoolean()).isTrue();
        assertThat(c2.path("leader_key_change_ms").asLong()).isEqualTo(9800);
        assertThat(c2.path("healed_ms").asLong()).isEqualTo(14000);
        assertThat(json.at("/options/faults/1").asText()).isEqualTo("patroni-kill");
        assertThat(json.at("/options/fault_for_ms").asLong()).isEqualTo(10000);
        assertThat(json.at("/configuration/ttl_seconds").asInt()).isEqualTo(10);
        String junit = ChaosView.junit(r);
        assertThat(junit).contains("tests=\"6\" failures=\"2\"", "classname=\"connect.drill.chaos\" name=\"cycle 2: patroni-kill on pg2\"",
                "1 lost of 1600 acknowledged (seq 1234)");
    }

    @Test
    void without_the_rows_read_back_nothing_is_proven() throws Exception {
        ChaosReport r = new ChaosReport("lab", 1, report(0, null).options(), AT, Duration.ofSeconds(30), true, "interrupted", List.of(),
                null, "no leader to read the rows back from", null);
        assertThat(r.passed()).isFalse();
        JsonNode json = new ObjectMapper().readTree(Renderer.json(ChaosView.json(r)));
        assertThat(json.at("/totals/lost").isNull()).isTrue();
        assertThat(json.at("/set_check/ran").asBoolean()).isFalse();
        assertThat(json.at("/set_check/error").asText()).isEqualTo("no leader to read the rows back from");
        assertThat(json.path("interrupted").asBoolean()).isTrue();
        StringWriter out = new StringWriter();
        ChaosView.print(new PrintWriter(out), r);
        assertThat(out.toString()).contains("Set checker did not run: no leader to read the rows back from", "✗ every acknowledged write present");
    }
}
