package io.connectha.drill;

import io.connectha.drill.FailoverVerdict.Criterion;
import io.connectha.drill.FailoverVerdict.Observed;
import io.connectha.drill.FailoverVerdict.Probes;
import io.connectha.drill.FailoverVerdict.Thresholds;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** The failover verdict, one criterion at a time, with numbers made by hand: each passes, and fails just past its threshold. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class FailoverVerdictTest {

    private static final Thresholds THRESHOLDS = new Thresholds(Duration.ofSeconds(30), 0, 0.05, Duration.ofSeconds(2), Duration.ofSeconds(60));

    /** A node loss that went well: pg1 lost, pg2 took over in 9.8 s, nothing lost, pg1 streaming again. */
    private static Observed good() {
        return new Observed(FaultKind.PATRONI_KILL, true, "pg1", "pg2", null, Duration.ofMillis(9_800), 0, 0, 0.02,
                Duration.ofMillis(4), Duration.ofMillis(15_400), Duration.ofMillis(16_000), null);
    }

    private static Boolean check(Observed o, Criterion c) {
        return FailoverVerdict.judge(o, THRESHOLDS).checks().stream().filter(k -> k.criterion() == c).map(FailoverVerdict.Check::passed)
                .findFirst().orElse(null);
    }

    private static Observed copy(Observed o, FaultKind fault, boolean applied, String newLeader, Duration etcd, Duration rto, long lost,
                                 long splitBrain, double errorRate, Duration p95, Duration rejoin, Duration healthy, Probes probes) {
        return new Observed(fault, applied, o.oldLeader(), newLeader, etcd, rto, lost, splitBrain, errorRate, p95, rejoin, healthy, probes);
    }

    @Test
    void a_drill_that_went_well_passes_every_criterion_in_the_reports_order() {
        FailoverVerdict v = FailoverVerdict.judge(good(), THRESHOLDS);
        assertThat(v.passed()).isTrue();
        assertThat(v.thresholds()).isEqualTo(THRESHOLDS);
        assertThat(v.checks()).extracting(FailoverVerdict.Check::criterion).containsExactly(Criterion.FAULT_APPLIED,
                Criterion.LEADER_ACCEPTS_WRITES, Criterion.CLIENT_RTO, Criterion.LOST_WRITES, Criterion.NO_SPLIT_BRAIN, Criterion.ERROR_RATE,
                Criterion.P95_LATENCY, Criterion.OLD_LEADER_REJOINS, Criterion.HEALTHY_AGAIN);
    }

    @Test
    void fault_applied_fails_when_the_faults_action_failed() {
        Observed o = good();
        assertThat(check(o, Criterion.FAULT_APPLIED)).isTrue();
        Observed failed = copy(o, o.fault(), false, o.newLeader(), null, o.clientRto(), 0, 0, o.errorRate(), o.latencyP95(), o.rejoin(),
                o.healthy(), null);
        assertThat(check(failed, Criterion.FAULT_APPLIED)).isFalse();
        assertThat(FailoverVerdict.judge(failed, THRESHOLDS).passed()).isFalse();
    }

    @Test
    void a_leader_must_move_for_node_loss_and_may_stay_after_pg_ctl_stop() {
        Observed o = good();
        assertThat(check(o, Criterion.LEADER_ACCEPTS_WRITES)).isTrue();
        Observed stayed = copy(o, FaultKind.PATRONI_KILL, true, "pg1", null, o.clientRto(), 0, 0, 0.02, o.latencyP95(), null, o.healthy(), null);
        assertThat(check(stayed, Criterion.LEADER_ACCEPTS_WRITES)).isFalse();
        Observed none = copy(o, FaultKind.PATRONI_KILL, true, null, null, null, 0, 0, 0.02, o.latencyP95(), null, o.healthy(), null);
        assertThat(check(none, Criterion.LEADER_ACCEPTS_WRITES)).isFalse();
        Observed pgStop = copy(o, FaultKind.PG_STOP, true, "pg1", null, o.clientRto(), 0, 0, 0.02, o.latencyP95(), null, o.healthy(), null);
        assertThat(check(pgStop, Criterion.LEADER_ACCEPTS_WRITES)).isTrue();
        // the leader stayed: no rejoin to wait for
        assertThat(check(pgStop, Criterion.OLD_LEADER_REJOINS)).isNull();
        Observed pgStopNone = copy(o, FaultKind.PG_STOP, true, null, null, null, 0, 0, 0.02, o.latencyP95(), null, o.healthy(), null);
        assertThat(check(pgStopNone, Criterion.LEADER_ACCEPTS_WRITES)).isFalse();
    }

    @Test
    void etcd_must_elect_a_raft_leader_within_the_max_rto_and_only_etcd_faults_are_judged_on_it() {
        Observed o = good();
        assertThat(check(o, Criterion.ETCD_LEADER_ELECTED)).isNull();
        Observed elected = copy(o, FaultKind.ETCD_LEADER_KILL, true, "pg1", Duration.ofMillis(30_000), Duration.ZERO, 0, 0, 0,
                o.latencyP95(), null, o.healthy(), null);
        assertThat(check(elected, Criterion.ETCD_LEADER_ELECTED)).isTrue();
        Observed late = copy(elected, FaultKind.ETCD_LEADER_KILL, true, "pg1", Duration.ofMillis(30_001), Duration.ZERO, 0, 0, 0,
                o.latencyP95(), null, o.healthy(), null);
        assertThat(check(late, Criterion.ETCD_LEADER_ELECTED)).isFalse();
        Observed never = copy(elected, FaultKind.ETCD_LEADER_KILL, true, "pg1", null, Duration.ZERO, 0, 0, 0, o.latencyP95(), null,
                o.healthy(), null);
        assertThat(check(never, Criterion.ETCD_LEADER_ELECTED)).isFalse();
    }

    @Test
    void client_rto_passes_at_the_threshold_and_fails_past_it_or_when_no_write_came_back() {
        Observed o = good();
        assertThat(check(copy(o, o.fault(), true, o.newLeader(), null, Duration.ofMillis(30_000), 0, 0, 0.02, o.latencyP95(), o.rejoin(),
                o.healthy(), null), Criterion.CLIENT_RTO)).isTrue();
        assertThat(check(copy(o, o.fault(), true, o.newLeader(), null, Duration.ofMillis(30_001), 0, 0, 0.02, o.latencyP95(), o.rejoin(),
                o.healthy(), null), Criterion.CLIENT_RTO)).isFalse();
        assertThat(check(copy(o, o.fault(), true, o.newLeader(), null, null, 0, 0, 0.02, o.latencyP95(), o.rejoin(), o.healthy(), null),
                Criterion.CLIENT_RTO)).isFalse();
    }

    @Test
    void lost_writes_fail_past_max_lost_writes() {
        Observed o = good();
        Observed lostOne = copy(o, o.fault(), true, o.newLeader(), null, o.clientRto(), 1, 0, 0.02, o.latencyP95(), o.rejoin(), o.healthy(), null);
        assertThat(check(lostOne, Criterion.LOST_WRITES)).isFalse();
        Thresholds allowOne = new Thresholds(THRESHOLDS.maxRto(), 1, 0.05, THRESHOLDS.maxP95(), THRESHOLDS.maxRejoin());
        assertThat(FailoverVerdict.judge(lostOne, allowOne).passed()).isTrue();
        assertThat(check(o, Criterion.LOST_WRITES)).isTrue();
    }

    @Test
    void one_write_on_the_old_leader_after_the_new_ones_first_is_split_brain() {
        Observed o = good();
        assertThat(check(o, Criterion.NO_SPLIT_BRAIN)).isTrue();
        assertThat(check(copy(o, o.fault(), true, o.newLeader(), null, o.clientRto(), 0, 1, 0.02, o.latencyP95(), o.rejoin(), o.healthy(),
                null), Criterion.NO_SPLIT_BRAIN)).isFalse();
    }

    @Test
    void error_rate_passes_at_the_threshold_and_fails_above_it() {
        Observed o = good();
        assertThat(check(copy(o, o.fault(), true, o.newLeader(), null, o.clientRto(), 0, 0, 0.05, o.latencyP95(), o.rejoin(), o.healthy(),
                null), Criterion.ERROR_RATE)).isTrue();
        assertThat(check(copy(o, o.fault(), true, o.newLeader(), null, o.clientRto(), 0, 0, 0.0501, o.latencyP95(), o.rejoin(), o.healthy(),
                null), Criterion.ERROR_RATE)).isFalse();
    }

    @Test
    void p95_latency_passes_at_the_threshold_and_fails_a_nanosecond_past_it() {
        Observed o = good();
        assertThat(check(copy(o, o.fault(), true, o.newLeader(), null, o.clientRto(), 0, 0, 0.02, Duration.ofSeconds(2), o.rejoin(),
                o.healthy(), null), Criterion.P95_LATENCY)).isTrue();
        assertThat(check(copy(o, o.fault(), true, o.newLeader(), null, o.clientRto(), 0, 0, 0.02, Duration.ofSeconds(2).plusNanos(1),
                o.rejoin(), o.healthy(), null), Criterion.P95_LATENCY)).isFalse();
    }

    @Test
    void the_old_leader_must_stream_again_when_the_leader_changed() {
        Observed o = good();
        assertThat(check(o, Criterion.OLD_LEADER_REJOINS)).isTrue();
        assertThat(check(copy(o, o.fault(), true, o.newLeader(), null, o.clientRto(), 0, 0, 0.02, o.latencyP95(), null, o.healthy(), null),
                Criterion.OLD_LEADER_REJOINS)).isFalse();
    }

    @Test
    void the_cluster_must_be_healthy_again() {
        Observed o = good();
        assertThat(check(o, Criterion.HEALTHY_AGAIN)).isTrue();
        assertThat(check(copy(o, o.fault(), true, o.newLeader(), null, o.clientRto(), 0, 0, 0.02, o.latencyP95(), o.rejoin(), null, null),
                Criterion.HEALTHY_AGAIN)).isFalse();
    }

    @Test
    void the_http_probe_is_judged_on_its_error_rate_and_a_probe_that_never_ran_fails() {
        Observed o = good();
        assertThat(check(o, Criterion.PROBE_ERROR_RATE)).isNull();
        assertThat(check(copy(o, o.fault(), true, o.newLeader(), null, o.clientRto(), 0, 0, 0.02, o.latencyP95(), o.rejoin(), o.healthy(),
                new Probes(100, 5)), Criterion.PROBE_ERROR_RATE)).isTrue();
        assertThat(check(copy(o, o.fault(), true, o.newLeader(), null, o.clientRto(), 0, 0, 0.02, o.latencyP95(), o.rejoin(), o.healthy(),
                new Probes(100, 6)), Criterion.PROBE_ERROR_RATE)).isFalse();
        assertThat(check(copy(o, o.fault(), true, o.newLeader(), null, o.clientRto(), 0, 0, 0.02, o.latencyP95(), o.rejoin(), o.healthy(),
                new Probes(0, 0)), Criterion.PROBE_ERROR_RATE)).isFalse();
        assertThat(new Probes(0, 0).errorRate()).isEqualTo(1.0);
    }
}
