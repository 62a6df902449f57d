package io.connectha.drill;

import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The clients' figures from a ledger made by hand: times in ms from the fault, pg1 at "a", pg2 at "b". */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class WriteLedgerTest {

    private static final long MS = 1_000_000;
    /** System.nanoTime is far from 0; so is the fault. */
    private static final long FAULT_MS = 3_600_000;

    private static WriteLoad.Ack ack(long seq, int client, long sentMs, long ackMs, String member) {
        return new WriteLoad.Ack(seq, client, (FAULT_MS + sentMs) * MS, (FAULT_MS + ackMs) * MS, member, 0);
    }

    private static WriteLoad.Failure failure(long seq, int client, long atMs) {
        return new WriteLoad.Failure(seq, client, (FAULT_MS + atMs) * MS, "connection refused");
    }

    private static WriteLedger ledger(List<WriteLoad.Ack> client0, List<WriteLoad.Ack> client1, List<WriteLoad.Failure> failures) {
        List<WriteLoad.Ack> all = new java.util.ArrayList<>(client0);
        all.addAll(client1);
        return new WriteLedger(all, failures, List.of(client0, client1), FAULT_MS * MS);
    }

    /** pg1 writes until 100 ms, clients fail from 120 ms, pg2 acknowledges again from 5 010 ms; pg1 sneaks one in at 5 020 ms. */
    private static WriteLedger failover() {
        return ledger(List.of(ack(1, 0, -900, -899, "a"), ack(3, 0, 90, 100, "a"), ack(5, 0, 5_000, 5_010, "b"), ack(7, 0, 5_011, 5_012, "b")),
                List.of(ack(2, 1, -500, -498, "a"), ack(6, 1, 5_015, 5_020, "a"), ack(8, 1, 5_021, 5_030, "b")),
                List.of(failure(4, 0, 120), failure(9, 1, 130), failure(10, 1, 2_000)));
    }

    @Test
    void client_rto_is_the_first_write_on_the_new_leader_after_the_outage_began() {
        assertThat(failover().clientRto("a", "b")).isEqualTo(Duration.ofMillis(5_010));
    }

    @Test
    void no_failure_and_the_same_leader_is_no_outage_and_no_write_on_a_new_leader_is_no_rto() {
        WriteLedger quiet = ledger(List.of(ack(1, 0, -10, -5, "a"), ack(2, 0, 10, 12, "a")), List.of(), List.of());
        assertThat(quiet.clientRto("a", "a")).isEqualTo(Duration.ZERO);
        assertThat(quiet.clientRto("a", null)).isEqualTo(Duration.ZERO);
        assertThat(failover().clientRto("a", "c")).isNull();
    }

    @Test
    void writes_on_the_old_leader_after_the_new_ones_first_are_split_brain_and_none_without_a_change() {
        assertThat(failover().splitBrainWrites("a", "b")).isEqualTo(1);
        assertThat(failover().splitBrainWrites("a", "a")).isZero();
        assertThat(failover().splitBrainWrites("a", null)).isZero();
    }

    @Test
    void the_error_rate_latency_gap_and_lost_writes_come_from_the_ledger() {
        WriteLedger l = failover();
        assertThat(l.errorRate()).isEqualTo(3.0 / 10);
        // latencies in ms: 1 10 10 1 2 5 9, sorted 1 1 2 5 9 10 10
        assertThat(l.latency(50)).isEqualTo(Duration.ofMillis(5));
        assertThat(l.latency(100)).isEqualTo(Duration.ofMillis(10));
        // client 0 waited from 100 ms to 5 010 ms; client 1 from -498 ms to 5 020 ms
        assertThat(l.longestGap()).isEqualTo(Duration.ofMillis(5_518));
        assertThat(l.lost(Set.of(1L, 2L, 3L, 5L, 7L, 8L))).extracting(WriteLoad.Ack::seq).containsExactly(6L);
        assertThat(new WriteLedger(List.of(), List.of(), List.of(), 0).latency(95)).isEqualTo(Duration.ZERO);
    }
}
