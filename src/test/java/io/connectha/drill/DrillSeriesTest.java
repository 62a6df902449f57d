package io.connectha.drill;

import io.connectha.render.DrillView;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DrillSeriesTest {

    /** A node loss, pg1 to {@code newLeader}, with the client RTO, the lost writes and the verdict given. */
    static DrillReport run(String newLeader, Long rtoMs, long lost, boolean passed) {
        Duration rto = rtoMs == null ? null : Duration.ofMillis(rtoMs);
        FailoverVerdict.Thresholds t = new FailoverVerdict.Thresholds(Duration.ofSeconds(passed ? 30 : 10), 1, 0.05, Duration.ofSeconds(2),
                Duration.ofSeconds(60));
        DrillReport.Subject subject = new DrillReport.Subject("lab", FaultKind.PATRONI_KILL, "pg1", FailoverDrill.Via.haproxy, null, "pg1",
                newLeader, Instant.parse("2026-11-23T10:00:00Z"), 4);
        DrillReport.Timeline timeline = new DrillReport.Timeline(Duration.ofMillis(9000), Duration.ofMillis(9100), Duration.ofMillis(9200),
                Duration.ofMillis(9300), null, rto, Duration.ofMillis(9400), Duration.ofMillis(15000), Duration.ofMillis(15100),
                Duration.ofMillis(50));
        DrillReport.Writes writes = new DrillReport.Writes(1000, 50, 0.05, Duration.ofNanos(500_000), Duration.ofMillis(2),
                Duration.ofMillis(80), 2500.0);
        DrillReport.Data data = new DrillReport.Data(1000 - lost, lost, lost == 0 ? 0L : 120L, 0);
        FailoverVerdict verdict = new FailoverVerdict(t, List.of(new FailoverVerdict.Check(FailoverVerdict.Criterion.CLIENT_RTO, passed)));
        return new DrillReport(subject, timeline, writes, data, new DrillReport.Reads(2, 900, 1, 0.001, 1.5, 60,
                Map.of("127.0.0.12:23002", 900L)), null, verdict, null, null);
    }

    @Test
    void the_distribution_is_nearest_rank_over_the_runs_that_observed_each_figure() {
        DrillSeries s = DrillSeries.of(List.of(run("pg2", 9400L, 0, true), run("pg3", 11000L, 1, true), run("pg2", null, 0, false)));
        assertThat(s.repeat()).isEqualTo(3);
        assertThat(s.passed()).isFalse();
        DrillSeries.Distribution rto = s.distribution().get("client_rto_ms");
        assertThat(rto.runs()).isEqualTo(2);
        assertThat(rto.p50()).isEqualTo(9400);
        assertThat(rto.p95()).isEqualTo(11000);
        assertThat(rto.max()).isEqualTo(11000);
        assertThat(s.distribution().get("lost_writes").max()).isEqualTo(1);
        assertThat(s.distribution()).doesNotContainKey("etcd_leader_ms");
    }

    @Test
    void the_series_summary_and_junit_name_every_run() {
        DrillSeries s = DrillSeries.of(List.of(run("pg2", 9400L, 0, true), run("pg3", 11000L, 1, false)));
        StringWriter out = new StringWriter();
        DrillView.summary(new PrintWriter(out), s);
        assertThat(out.toString()).contains("Drill patroni-kill on lab, 2 runs: FAILED").contains("pg1 -> pg3").contains("client_rto_ms")
                .contains("Run 2:").contains("✗ client RTO");
        String junit = DrillView.junit(s);
        assertThat(junit).contains("tests=\"2\" failures=\"1\"").contains("name=\"run 1: client RTO\"").contains("name=\"run 2: client RTO\"")
                .contains("<failure message=\"11000 ms (required &lt;= 10000 ms)\"/>");
    }

    @Test
    void one_run_summary_shows_reads_and_the_rpo() {
        StringWriter out = new StringWriter();
        DrillView.summary(new PrintWriter(out), run("pg2", 9400L, 3, true));
        assertThat(out.toString()).contains("Reads on HAProxy's read port: 2 readers, 900 answered, 1 failed")
                .contains("lost acknowledged writes 3 (RPO at least 120 B of WAL)");
    }

    @Test
    void client_rto_ends_with_the_acknowledgement_after_the_longest_silence_not_an_orphaned_backends_late_one() {
        long ms = 1_000_000;
        // the fault at 0; a backend of the killed postmaster still acknowledges at 30 ms; then nothing until 5.4 s
        List<WriteLoad.Ack> acks = List.of(new WriteLoad.Ack(1, 0, -5 * ms, -4 * ms, "a", 0), new WriteLoad.Ack(2, 1, 10 * ms, 30 * ms, "a", 0),
                new WriteLoad.Ack(3, 0, 5_390 * ms, 5_400 * ms, "a", 0), new WriteLoad.Ack(4, 1, 5_395 * ms, 5_401 * ms, "a", 0));
        assertThat(WriteLedger.endOfLongestSilence(acks, 0)).isEqualTo(5_400 * ms);
        assertThat(WriteLedger.endOfLongestSilence(List.of(), 0)).isZero();
    }

    @Test
    void an_unknown_fault_names_every_kind() {
        assertThatThrownBy(() -> FaultKind.of("reboot")).hasMessageContaining("postmaster-kill, patroni-kill, patroni-stop, pg-stop, "
                + "switchover, etcd-leader-kill");
        assertThat(FaultKind.ETCD_LEADER_KILL.hitsEtcd()).isTrue();
        assertThat(FaultKind.PG_STOP.leaderMayStay()).isTrue();
        assertThat(FaultKind.PATRONI_STOP.leaderMayStay()).isFalse();
    }
}
