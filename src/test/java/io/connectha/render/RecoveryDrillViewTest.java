package io.connectha.render;

import io.connectha.drill.DrillReport.Criterion;
import io.connectha.drill.RejoinReport;
import io.connectha.drill.RewindEvidence;
import io.connectha.drill.SplitBrainAnalysis;
import io.connectha.drill.SplitBrainReport;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class RecoveryDrillViewTest {

    private static final Instant AT = Instant.parse("2026-11-23T07:34:28Z");

    private static RejoinReport rejoin(boolean identical) {
        RejoinReport.TableDigest leader = new RejoinReport.TableDigest(12968, 91782621, 13763, "2364e2b2");
        RejoinReport.TableDigest rejoined = identical ? leader : new RejoinReport.TableDigest(12967, 91769000, 13762, "aa");
        return new RejoinReport("lab", "pg1", "pg3", AT, 2, 10275L, 12276L, 4400L, 3500L, 3550L, 3600L, 2, 3, 3,
                new RewindEvidence(true, true, 0, "0/41F9FE0", false), 12970, 793, 2, leader, rejoined, identical, true, List.of(),
                List.of(new Criterion("another member took over", true, "a new leader accepting writes", "pg3 after 10275 ms"),
                        new Criterion("data identical on the rejoined member", identical, "same rows", identical ? "equal" : "differs")),
                50);
    }

    private static String render(java.util.function.Consumer<PrintWriter> view) {
        StringWriter out = new StringWriter();
        view.accept(new PrintWriter(out, true));
        return out.toString();
    }

    @Test
    void a_rejoin_summary_gives_each_stage_in_ms_from_the_restart_and_what_the_rewind_did() {
        String text = render(out -> RecoveryDrillView.rejoin(out, rejoin(true)));
        assertThat(text).startsWith("Drill rejoin on lab: PASSED (pg1 lost -> pg3 leads; pg1 back as a replica)");
        assertThat(text).containsPattern("pg1's Patroni started again +12276 ms")
                .containsPattern("Patroni says running +4400 ms")
                .containsPattern("in recovery on the new timeline \\(3\\) +3500 ms")
                .containsPattern("streaming from pg3 \\(pg_stat_replication\\) +3550 ms")
                .containsPattern("replay caught up +3600 ms")
                .contains("crash recovery in single-user mode, then pg_rewind ran (exit 0), diverged at 0/41F9FE0; timeline 2 before, 3 on the new leader")
                .contains("missing on the new leader 2")
                .contains("✓ another member took over");
    }

    @Test
    void a_failed_rejoin_says_so_and_its_junit_carries_the_failure() {
        RejoinReport r = rejoin(false);
        assertThat(render(out -> RecoveryDrillView.rejoin(out, r))).startsWith("Drill rejoin on lab: FAILED").contains("✗ data identical");
        String junit = RecoveryDrillView.rejoinJunit(r);
        assertThat(junit).contains("<testsuite name=\"connect drill rejoin lab\" tests=\"2\" failures=\"1\"")
                .contains("classname=\"connect.drill.rejoin\" name=\"data identical on the rejoined member\"")
                .contains("<failure message=\"differs (required same rows)\"/>");
    }

    @Test
    void a_rewind_that_did_not_run_is_said_plainly() {
        assertThat(RecoveryDrillView.rewind(RewindEvidence.NONE)).isEqualTo("no pg_rewind in Patroni's log");
        assertThat(RecoveryDrillView.rewind(new RewindEvidence(false, true, null, null, true)))
                .isEqualTo("pg_rewind ran (exit none: cancelled); the data directory was removed to clone it again");
    }

    @Test
    void a_split_brain_summary_lists_each_members_write_windows_the_key_and_haproxy() {
        SplitBrainReport r = new SplitBrainReport("lab", "pg3", "pg2", AT, 8961L, 8962L, 6750L, 6750L, 332, 50, 1,
                Map.of("pg1", List.of(), "pg2", List.of(new SplitBrainAnalysis.Window(8984, 16847, 150)),
                        "pg3", List.of(new SplitBrainAnalysis.Window(-1001, 17, 21))),
                List.of(new SplitBrainAnalysis.Span("pg3", -1001, 8726, 190), new SplitBrainAnalysis.Span(null, 8777, 8777, 1)),
                List.of(new SplitBrainAnalysis.Span(null, 17, 9245, 180)), List.of(), List.of(), 0,
                Map.of("pg2", 160L, "pg3", 40L), Map.of(), true, List.of(),
                List.of(new Criterion("never two members accepting writes", true, "0 samples with two writers", "0 of 332 samples")));
        String text = render(out -> RecoveryDrillView.splitBrain(out, r));
        assertThat(text).startsWith("Drill split-brain on lab: PASSED (pg3 lost -> pg2 leads")
                .containsPattern("pg1 +never")
                .containsPattern("pg2 +8984 \\.\\. 16847 ms")
                .containsPattern("pg3 +-1001 \\.\\. 17 ms")
                .containsPattern("leader key +pg3 -1001 \\.\\. 8726 ms, nobody 8777 \\.\\. 8777 ms")
                .containsPattern("HAProxy write port +nowhere 17 \\.\\. 9245 ms")
                .contains("Writes: 200 acknowledged")
                .contains("✓ never two members accepting writes");
        assertThat(RecoveryDrillView.splitBrainJunit(r)).contains("classname=\"connect.drill.split-brain\"").contains("failures=\"0\"");
    }
}
