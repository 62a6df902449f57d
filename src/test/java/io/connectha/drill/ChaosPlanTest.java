package io.connectha.drill;

import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The seeded order of faults and the targets they get. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ChaosPlanTest {

    private static final List<FaultKind> FAULTS = List.of(FaultKind.PATRONI_KILL, FaultKind.SWITCHOVER, FaultKind.FREEZE_PATRONI,
            FaultKind.DCS_OUTAGE, FaultKind.POSTMASTER_KILL);
    private static final ChaosPlan.Cluster CLUSTER = new ChaosPlan.Cluster("pg2", List.of("pg1", "pg2", "pg3"), List.of("pg1", "pg3"),
            List.of("etcd1", "etcd2", "etcd3"), "etcd3");

    private static List<FaultKind> draw(long seed, int n, boolean pickTargets) {
        ChaosPlan plan = new ChaosPlan(seed);
        List<FaultKind> drawn = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            FaultKind k = plan.next(FAULTS);
            if (pickTargets) {
                plan.target(k, CLUSTER);
            }
            drawn.add(k);
        }
        return drawn;
    }

    @Test
    void the_same_seed_draws_the_same_faults_in_the_same_order() {
        assertThat(draw(42, 20, false)).isEqualTo(draw(42, 20, false));
        // rounds of the list shuffled by java.util.Random(seed), as documented, so that another tool can replay it
        Random r = new Random(42);
        List<FaultKind> expected = new ArrayList<>();
        while (expected.size() < 20) {
            List<FaultKind> round = new ArrayList<>(FAULTS);
            java.util.Collections.shuffle(round, r);
            expected.addAll(round);
        }
        assertThat(draw(42, 20, false)).isEqualTo(expected.subList(0, 20));
        assertThat(draw(43, 20, false)).isNotEqualTo(expected.subList(0, 20));
    }

    @Test
    void every_fault_comes_once_in_each_round() {
        for (long seed = 0; seed < 50; seed++) {
            List<FaultKind> drawn = draw(seed, FAULTS.size() * 3, false);
            for (int round = 0; round < 3; round++) {
                assertThat(drawn.subList(round * FAULTS.size(), (round + 1) * FAULTS.size())).as("seed " + seed)
                        .containsExactlyInAnyOrderElementsOf(FAULTS);
            }
        }
    }

    @Test
    void picking_targets_does_not_change_the_order_of_faults() {
        assertThat(draw(7, 30, true)).isEqualTo(draw(7, 30, false));
        assertThat(draw(7, 30, true)).containsAll(FAULTS);
    }

    @Test
    void each_target_kind_names_what_the_fault_hits() {
        ChaosPlan plan = new ChaosPlan(1);
        assertThat(plan.target(FaultKind.SWITCHOVER, CLUSTER)).isEqualTo("pg2");
        assertThat(plan.target(FaultKind.ETCD_LEADER_KILL, CLUSTER)).isEqualTo("etcd3");
        for (int i = 0; i < 20; i++) {
            assertThat(plan.target(FaultKind.PARTITION_REPLICA, CLUSTER)).isIn("pg1", "pg3");
            // the smaller half of 3 hosts is one host
            assertThat(plan.target(FaultKind.PARTITION_HALVES, CLUSTER)).isIn("pg1", "pg2", "pg3");
            // a majority of 3 etcd members is two, named in the cluster file's order
            assertThat(plan.target(FaultKind.DCS_OUTAGE, CLUSTER)).isIn("etcd1,etcd2", "etcd1,etcd3", "etcd2,etcd3");
        }
    }

    @Test
    void targets_are_seeded_too() {
        ChaosPlan a = new ChaosPlan(99);
        ChaosPlan b = new ChaosPlan(99);
        ChaosPlan.Cluster five = new ChaosPlan.Cluster("m1", List.of("m1", "m2", "m3", "m4", "m5"), List.of("m2", "m3", "m4", "m5"),
                List.of("e1", "e2", "e3", "e4", "e5"), "e1");
        for (int i = 0; i < 10; i++) {
            String half = a.target(FaultKind.PARTITION_HALVES, five);
            assertThat(half).isEqualTo(b.target(FaultKind.PARTITION_HALVES, five));
            assertThat(half.split(",")).hasSize(2);
            String majority = a.target(FaultKind.DCS_OUTAGE, five);
            assertThat(majority).isEqualTo(b.target(FaultKind.DCS_OUTAGE, five));
            assertThat(majority.split(",")).hasSize(3);
        }
    }

    @Test
    void a_replica_fault_without_a_streaming_replica_has_no_target() {
        ChaosPlan.Cluster alone = new ChaosPlan.Cluster("pg1", List.of("pg1"), List.of(), List.of("etcd1"), "etcd1");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new ChaosPlan(1).target(FaultKind.PARTITION_REPLICA, alone))
                .hasMessageContaining("no replica streams from the leader");
    }
}
