package io.connectha.drill;

import io.connectha.cluster.Problem;
import io.connectha.drill.FailoverVerdict.Criterion;
import io.connectha.drill.FailoverVerdict.Leader;
import io.connectha.drill.FailoverVerdict.Observed;
import io.connectha.drill.FailoverVerdict.Thresholds;
import io.connectha.error.ConnectError;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Held faults with numbers made by hand: who the fault hits (seeded halves are the same every time), what each fault must
 * lead to, and the old leader's write window worked out from a ledger (times in ms from the fault, pg1 at "a", pg2 at "b").
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class HeldFaultsTest {

    private static final long MS = 1_000_000;
    private static final long FAULT_MS = 3_600_000;
    private static final Thresholds THRESHOLDS = new Thresholds(Duration.ofSeconds(30), 0, 0.05, Duration.ofSeconds(2), Duration.ofSeconds(60));

    @Test
    void seeded_halves_are_the_same_for_the_same_seed_whatever_the_order_and_the_smaller_side_is_named() {
        List<String> members = List.of("pg1", "pg2", "pg3");
        String once = FaultTargets.halves(members, 42);
        assertThat(FaultTargets.halves(List.of("pg3", "pg1", "pg2"), 42)).isEqualTo(once);
        assertThat(FaultInjector.names(once)).hasSize(1).isSubsetOf(members);
        // five members: two on the smaller side, in name order, joined by commas
        String five = FaultTargets.halves(List.of("pg1", "pg2", "pg3", "pg4", "pg5"), 7);
        assertThat(five).matches("pg\\d,pg\\d");
        assertThat(FaultInjector.names(five)).isSorted().doesNotHaveDuplicates();
        assertThat(FaultTargets.halves(List.of("pg1", "pg2", "pg3", "pg4", "pg5"), 7)).isEqualTo(five);
        // seeds choose different sides: over 20 seeds every member of 3 is cut off at least once
        Set<String> cut = new HashSet<>();
        for (long seed = 0; seed < 20; seed++) {
            cut.add(FaultTargets.halves(members, seed));
        }
        assertThat(cut).containsExactlyInAnyOrder("pg1", "pg2", "pg3");
    }

    @Test
    void one_member_has_no_halves_and_is_refused_in_one_line() {
        assertThatThrownBy(() -> FaultTargets.halves(List.of("pg1"), 1)).isInstanceOf(ConnectError.class)
                .hasMessage("--fault partition-halves splits the member hosts in two, so it needs at least 2 members (this cluster has 1)");
    }

    @Test
    void an_etcd_majority_is_more_than_half_first_by_name_and_the_replica_is_the_first_streaming_one() {
        assertThat(FaultTargets.etcdMajority(List.of("etcd3", "etcd1", "etcd2"))).isEqualTo("etcd1,etcd2");
        assertThat(FaultTargets.etcdMajority(List.of("etcd1"))).isEqualTo("etcd1");
        assertThat(FaultTargets.etcdMajority(List.of("e1", "e2", "e3", "e4", "e5"))).isEqualTo("e1,e2,e3");
        assertThat(FaultTargets.replica(List.of("pg3", "pg2"), "partition-replica")).isEqualTo("pg2");
        assertThatThrownBy(() -> FaultTargets.replica(List.of(), "partition-replica"))
                .hasMessage("--fault partition-replica cuts off a replica, and no replica is streaming");
    }

    @Test
    void each_fault_says_whether_the_leader_must_change_may_stay_or_must_stay_and_which_have_a_write_window() {
        assertThat(FailoverVerdict.expect(FaultKind.FREEZE_PATRONI)).isEqualTo(new FailoverVerdict.Expectation(Leader.MUST_CHANGE, true, true));
        assertThat(FailoverVerdict.expect(FaultKind.PARTITION_LEADER).leader()).isEqualTo(Leader.MUST_CHANGE);
        assertThat(FailoverVerdict.expect(FaultKind.PARTITION_LEADER_DCS).leader()).isEqualTo(Leader.MUST_CHANGE);
        assertThat(FailoverVerdict.expect(FaultKind.PARTITION_ONE_WAY).leader()).isEqualTo(Leader.MUST_CHANGE);
        assertThat(FailoverVerdict.expect(FaultKind.FREEZE_POSTGRES)).isEqualTo(new FailoverVerdict.Expectation(Leader.MAY_STAY, true, true));
        assertThat(FailoverVerdict.expect(FaultKind.DCS_OUTAGE)).isEqualTo(new FailoverVerdict.Expectation(Leader.MAY_STAY, true, false));
        assertThat(FailoverVerdict.expect(FaultKind.PARTITION_HALVES)).isEqualTo(new FailoverVerdict.Expectation(Leader.MAY_STAY, true, false));
        assertThat(FailoverVerdict.expect(FaultKind.PARTITION_REPLICA)).isEqualTo(new FailoverVerdict.Expectation(Leader.MUST_STAY, true, false));
        // the process faults keep what they had: no window
        assertThat(FailoverVerdict.expect(FaultKind.PATRONI_KILL)).isEqualTo(new FailoverVerdict.Expectation(Leader.MUST_CHANGE, true, false));
        assertThat(FailoverVerdict.expect(FaultKind.PG_STOP).leader()).isEqualTo(Leader.MAY_STAY);
        // 200 ms of latency cuts nobody off: no window
        assertThat(FailoverVerdict.expect(FaultKind.LATENCY_LEADER)).isEqualTo(new FailoverVerdict.Expectation(Leader.MAY_STAY, true, false));
    }

    /** A held fault that went well: pg1 cut off, pg2 leads from 11 s, nothing lost through HAProxy. */
    private static Observed held(FaultKind kind, String newLeader, long splitBrain, FailoverVerdict.Window window) {
        return new Observed(kind, true, "pg1", newLeader, null, Duration.ofMillis(11_000), 0, splitBrain, 0.02, Duration.ofMillis(4),
                Duration.ofMillis(20_000), Duration.ofMillis(21_000), null, window);
    }

    private static Boolean check(Observed o, Thresholds t, Criterion c) {
        return FailoverVerdict.judge(o, t).checks().stream().filter(k -> k.criterion() == c).map(FailoverVerdict.Check::passed).findFirst()
                .orElse(null);
    }

    @Test
    void a_partitioned_or_frozen_leader_must_be_replaced_and_the_window_rule_is_judged_after_split_brain() {
        Observed o = held(FaultKind.FREEZE_PATRONI, "pg2", 0, new FailoverVerdict.Window(120, false));
        FailoverVerdict v = FailoverVerdict.judge(o, THRESHOLDS);
        assertThat(v.checks()).extracting(FailoverVerdict.Check::criterion).containsExactly(Criterion.FAULT_APPLIED,
                Criterion.LEADER_ACCEPTS_WRITES, Criterion.CLIENT_RTO, Criterion.LOST_WRITES, Criterion.NO_SPLIT_BRAIN,
                Criterion.WRITE_WINDOW_LOST, Criterion.ERROR_RATE, Criterion.P95_LATENCY, Criterion.OLD_LEADER_REJOINS, Criterion.HEALTHY_AGAIN);
        // asynchronous: 120 window writes lost are reported, not failed
        assertThat(v.passed()).isTrue();
        // the same leader after freeze-patroni is a failure; after freeze-postgres it may stay
        assertThat(check(held(FaultKind.FREEZE_PATRONI, "pg1", 0, null), THRESHOLDS, Criterion.LEADER_ACCEPTS_WRITES)).isFalse();
        assertThat(check(held(FaultKind.FREEZE_POSTGRES, "pg1", 0, null), THRESHOLDS, Criterion.LEADER_ACCEPTS_WRITES)).isTrue();
        // writes on the old leader after the new one's first, through the drill's clients, fail any fault
        assertThat(check(held(FaultKind.FREEZE_POSTGRES, "pg2", 1, null), THRESHOLDS, Criterion.NO_SPLIT_BRAIN)).isFalse();
        assertThat(check(held(FaultKind.DCS_OUTAGE, "pg1", 1, null), THRESHOLDS, Criterion.NO_SPLIT_BRAIN)).isFalse();
    }

    @Test
    void in_synchronous_mode_one_lost_window_write_fails_and_in_asynchronous_mode_only_an_explicit_max_lost_writes_bounds_them() {
        assertThat(check(held(FaultKind.PARTITION_LEADER, "pg2", 0, new FailoverVerdict.Window(0, true)), THRESHOLDS,
                Criterion.WRITE_WINDOW_LOST)).isTrue();
        assertThat(check(held(FaultKind.PARTITION_LEADER, "pg2", 0, new FailoverVerdict.Window(1, true)), THRESHOLDS,
                Criterion.WRITE_WINDOW_LOST)).isFalse();
        // synchronous even with a generous --max-lost-writes: the promise is zero
        Thresholds generous = new Thresholds(Duration.ofSeconds(30), 1000, 0.05, Duration.ofSeconds(2), Duration.ofSeconds(60), true);
        assertThat(check(held(FaultKind.PARTITION_LEADER, "pg2", 0, new FailoverVerdict.Window(1, true)), generous,
                Criterion.WRITE_WINDOW_LOST)).isFalse();
        // asynchronous (or unknown): reported unless --max-lost-writes was given
        assertThat(check(held(FaultKind.PARTITION_LEADER, "pg2", 0, new FailoverVerdict.Window(500, false)), THRESHOLDS,
                Criterion.WRITE_WINDOW_LOST)).isTrue();
        assertThat(check(held(FaultKind.PARTITION_LEADER, "pg2", 0, new FailoverVerdict.Window(500, null)), THRESHOLDS,
                Criterion.WRITE_WINDOW_LOST)).isTrue();
        Thresholds bounded = new Thresholds(Duration.ofSeconds(30), 10, 0.05, Duration.ofSeconds(2), Duration.ofSeconds(60), true);
        assertThat(check(held(FaultKind.PARTITION_LEADER, "pg2", 0, new FailoverVerdict.Window(10, false)), bounded,
                Criterion.WRITE_WINDOW_LOST)).isTrue();
        assertThat(check(held(FaultKind.PARTITION_LEADER, "pg2", 0, new FailoverVerdict.Window(11, false)), bounded,
                Criterion.WRITE_WINDOW_LOST)).isFalse();
        // no window for a fault that misses the leader
        assertThat(check(held(FaultKind.DCS_OUTAGE, "pg1", 0, new FailoverVerdict.Window(11, true)), THRESHOLDS,
                Criterion.WRITE_WINDOW_LOST)).isNull();
    }

    @Test
    void a_replica_cut_off_must_leave_the_leader_where_it_is() {
        assertThat(check(held(FaultKind.PARTITION_REPLICA, "pg1", 0, null), THRESHOLDS, Criterion.LEADER_STAYS)).isTrue();
        assertThat(check(held(FaultKind.PARTITION_REPLICA, "pg2", 0, null), THRESHOLDS, Criterion.LEADER_STAYS)).isFalse();
        assertThat(check(held(FaultKind.PARTITION_REPLICA, null, 0, null), THRESHOLDS, Criterion.LEADER_STAYS)).isFalse();
        assertThat(check(held(FaultKind.PARTITION_LEADER, "pg2", 0, null), THRESHOLDS, Criterion.LEADER_STAYS)).isNull();
        // an etcd outage is not etcd-leader-kill: no raft leader to wait for
        assertThat(check(held(FaultKind.DCS_OUTAGE, "pg1", 0, null), THRESHOLDS, Criterion.ETCD_LEADER_ELECTED)).isNull();
    }

    private static WriteLoad.Ack ack(long seq, long ackMs, String member, long lsn) {
        return new WriteLoad.Ack(seq, seq >= FailoverLoad.LEADER_SIDE_SEQS ? 1000 : 0, (FAULT_MS + ackMs - 1) * MS, (FAULT_MS + ackMs) * MS,
                member, lsn);
    }

    private static final long SIDE = FailoverLoad.LEADER_SIDE_SEQS;

    /**
     * The drill's clients: pg1 until 100 ms, failures from 120 ms, pg2's first at 11 000 ms. The old leader's own-side
     * clients: acknowledged by pg1 at 50, 5 000, 11 500 and 14 000 ms (its PostgreSQL still took writes).
     */
    private static WriteLedger ledger() {
        List<WriteLoad.Ack> main = List.of(ack(1, -500, "a", 100), ack(2, 100, "a", 200), ack(3, 11_000, "b", 900), ack(4, 11_100, "b", 950));
        return new WriteLedger(main, List.of(new WriteLoad.Failure(5, 0, (FAULT_MS + 120) * MS, "refused")), List.of(main), FAULT_MS * MS);
    }

    private static List<WriteLoad.Ack> leaderSide() {
        return List.of(ack(SIDE + 1, -200, "a", 150), ack(SIDE + 2, 50, "a", 190), ack(SIDE + 3, 5_000, "a", 5_000),
                ack(SIDE + 4, 11_500, "a", 8_000), ack(SIDE + 5, 14_000, "a", 12_096));
    }

    @Test
    void the_window_lasts_to_the_old_leaders_last_acknowledgement_and_its_writes_are_those_after_the_new_leaders_first() {
        Set<Long> present = new HashSet<>(Set.of(1L, 2L, 3L, 4L, SIDE + 1, SIDE + 2, SIDE + 3));
        WriteLedger.Window w = ledger().window(leaderSide(), "a", "b", (FAULT_MS + 15_000) * MS, present);
        assertThat(w.length(FAULT_MS * MS)).isEqualTo(Duration.ofMillis(14_000));
        // after pg2's first at 11 000 ms: 11 500 and 14 000; both missing afterwards (pg1 was rewound)
        assertThat(w.writes()).isEqualTo(2);
        assertThat(w.survived()).isZero();
        assertThat(w.lost()).isEqualTo(2);
        assertThat(w.lostWalBytes()).isEqualTo(12_096 - 8_000);
        // one of them survived: the WAL is that of the one lost, a lower bound of 0 bytes
        present.add(SIDE + 4);
        WriteLedger.Window one = ledger().window(leaderSide(), "a", "b", null, present);
        assertThat(one.writes()).isEqualTo(2);
        assertThat(one.survived()).isEqualTo(1);
        assertThat(one.lost()).isEqualTo(1);
        assertThat(one.lostWalBytes()).isZero();
    }

    @Test
    void without_a_new_leader_the_window_is_what_the_old_leader_took_between_the_fault_and_the_restore() {
        List<WriteLoad.Ack> main = List.of(ack(1, -500, "a", 100), ack(2, 16_000, "a", 20_000));
        WriteLedger l = new WriteLedger(main, List.of(), List.of(main), FAULT_MS * MS);
        Set<Long> present = Set.of(1L, 2L, SIDE + 1, SIDE + 2, SIDE + 3, SIDE + 4, SIDE + 5);
        WriteLedger.Window w = l.window(leaderSide(), "a", "a", (FAULT_MS + 12_000) * MS, present);
        // 50, 5 000 and 11 500 ms: before the restore at 12 000 ms; 14 000 and 16 000 are the leader's ordinary writes after it
        assertThat(w.writes()).isEqualTo(3);
        assertThat(w.survived()).isEqualTo(3);
        assertThat(w.lost()).isZero();
        assertThat(w.length(FAULT_MS * MS)).isEqualTo(Duration.ofMillis(11_500));
        // nothing acknowledged after the fault: no window at all
        WriteLedger.Window none = l.window(List.of(ack(SIDE + 1, -200, "a", 1)), "a", null, (FAULT_MS + 12_000) * MS, present);
        assertThat(none.lastAckNanos()).isNull();
        assertThat(none.length(FAULT_MS * MS)).isNull();
        assertThat(none.writes()).isZero();
    }

    @Test
    void after_an_etcd_outage_the_rto_ends_with_the_first_write_acknowledged_after_the_heal() {
        // the leader demoted at 8 s (clients fail from then), etcd back at 12 s, writes again from 13 s
        List<WriteLoad.Ack> main = List.of(ack(1, 100, "a", 1), ack(2, 7_900, "a", 2), ack(3, 13_000, "a", 3));
        WriteLedger l = new WriteLedger(main, List.of(new WriteLoad.Failure(9, 0, (FAULT_MS + 8_000) * MS, "read-only")), List.of(main),
                FAULT_MS * MS);
        assertThat(l.clientRto("a", "a", (FAULT_MS + 12_000) * MS)).isEqualTo(Duration.ofMillis(13_000));
        assertThat(l.clientRto("a", "a", (FAULT_MS + 14_000) * MS)).isNull();
    }

    @Test
    void a_problem_names_the_target_by_its_member_or_by_the_name_as_a_word() {
        List<Problem> problems = List.of(Problem.critical("patroni_unreachable", "pg2", "pg2: Patroni did not answer"),
                Problem.critical("etcd_unreachable", null, "etcd1 (127.0.0.21:2379) did not answer"));
        assertThat(FaultStatusWatch.namesTarget(problems, List.of("pg2"))).isTrue();
        assertThat(FaultStatusWatch.namesTarget(problems, List.of("etcd1"))).isTrue();
        assertThat(FaultStatusWatch.namesTarget(problems, List.of("pg1"))).isFalse();
        // pg1 is not named by pg10
        assertThat(FaultStatusWatch.namesTarget(List.of(Problem.warning("x", null, "pg10 lags")), List.of("pg1"))).isFalse();
        assertThat(FaultStatusWatch.namesTarget(List.of(), new ArrayList<>(List.of("pg1")))).isFalse();
    }

    @Test
    void status_is_asked_three_seconds_in_or_a_third_into_a_short_hold() {
        assertThat(FailoverDrill.statusDelay(null)).isEqualTo(Duration.ofSeconds(3));
        assertThat(FailoverDrill.statusDelay(Duration.ofSeconds(60))).isEqualTo(Duration.ofSeconds(3));
        assertThat(FailoverDrill.statusDelay(Duration.ofSeconds(6))).isEqualTo(Duration.ofSeconds(2));
        assertThat(FailoverDrill.minHold(new DrillReport.Configuration(10, 2, 4, false, 0L, 1, 0, 0, 0, 0, 0, 0, 0, 0, "lab")))
                .isEqualTo(Duration.ofSeconds(12));
    }
}
