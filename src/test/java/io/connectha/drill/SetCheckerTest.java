package io.connectha.drill;

import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The set checker and the overlap rule on made-up ledgers: times in ms, as nanos. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class SetCheckerTest {

    private static final String A = "127.0.0.1:5432";
    private static final String B = "127.0.0.1:5433";

    private static WriteLoad.Ack ack(long seq, int client, long sentMs, long ackMs, String member) {
        return new WriteLoad.Ack(seq, client, sentMs * 1_000_000, ackMs * 1_000_000, member, 0);
    }

    private static WriteLoad.Failure failure(long seq, int client, long atMs) {
        return new WriteLoad.Failure(seq, client, atMs * 1_000_000, "connection refused");
    }

    private static SetChecker.Row row(long seq, int client) {
        return new SetChecker.Row(seq, client);
    }

    @Test
    void every_acknowledged_write_present_passes_and_counts_each() {
        List<List<WriteLoad.Ack>> acks = List.of(List.of(ack(1, 0, 0, 1, A), ack(3, 0, 2, 3, A)), List.of(ack(2, 1, 0, 2, A)));
        SetChecker.Result r = SetChecker.check(acks, List.of(), List.of(row(1, 0), row(2, 1), row(3, 0)), true);
        assertThat(r.passed()).isTrue();
        assertThat(r.attempted()).isEqualTo(3);
        assertThat(r.acknowledged()).isEqualTo(3);
        assertThat(r.present()).isEqualTo(3);
        assertThat(r.rows()).isEqualTo(3);
        assertThat(r.lost()).isZero();
        assertThat(r.leaderOverlaps()).isZero();
    }

    @Test
    void an_acknowledged_write_missing_is_lost_and_fails() {
        List<List<WriteLoad.Ack>> acks = List.of(List.of(ack(1, 0, 0, 1, A), ack(2, 0, 2, 3, A), ack(5, 0, 4, 5, A)));
        SetChecker.Result r = SetChecker.check(acks, List.of(), List.of(row(1, 0)), true);
        assertThat(r.lost()).isEqualTo(2);
        assertThat(r.lostSeqs()).containsExactly(2L, 5L);
        assertThat(r.present()).isEqualTo(1);
        assertThat(r.passed()).isFalse();
    }

    @Test
    void a_failed_write_that_is_present_is_recovered_not_a_violation() {
        List<List<WriteLoad.Ack>> acks = List.of(List.of(ack(1, 0, 0, 1, A)));
        SetChecker.Result r = SetChecker.check(acks, List.of(failure(2, 0, 5), failure(3, 0, 6)), List.of(row(1, 0), row(2, 0)), true);
        assertThat(r.recovered()).isEqualTo(1);
        assertThat(r.unexpected()).isZero();
        assertThat(r.attempted()).isEqualTo(3);
        assertThat(r.passed()).isTrue();
    }

    @Test
    void a_row_no_client_sent_or_sent_by_another_client_is_unexpected() {
        List<List<WriteLoad.Ack>> acks = List.of(List.of(ack(1, 0, 0, 1, A)), List.of(ack(2, 1, 0, 1, A)));
        // seq 9 was never attempted; seq 2 was sent by client 1, not 0
        SetChecker.Result r = SetChecker.check(acks, List.of(), List.of(row(1, 0), row(2, 0), row(9, 3)), true);
        assertThat(r.unexpected()).isEqualTo(2);
        assertThat(r.lost()).isZero();
        assertThat(r.passed()).isFalse();
    }

    @Test
    void a_seq_read_back_twice_is_duplicated() {
        List<List<WriteLoad.Ack>> acks = List.of(List.of(ack(1, 0, 0, 1, A)));
        SetChecker.Result r = SetChecker.check(acks, List.of(), List.of(row(1, 0), row(1, 0)), true);
        assertThat(r.duplicated()).isEqualTo(1);
        assertThat(r.rows()).isEqualTo(2);
        assertThat(r.present()).isEqualTo(1);
        assertThat(r.passed()).isFalse();
    }

    @Test
    void a_write_on_another_member_inside_one_connections_reign_is_an_overlap() {
        // client 0 keeps one connection to A: acknowledged at 10 and again (sent at 30) at 31; client 1's write on B, sent at 12
        // and acknowledged at 20, was committed while A was a primary
        List<List<WriteLoad.Ack>> acks = List.of(List.of(ack(1, 0, 9, 10, A), ack(3, 0, 30, 31, A)), List.of(ack(2, 1, 12, 20, B)));
        List<SetChecker.Overlap> overlaps = SetChecker.overlaps(acks, List.of());
        assertThat(overlaps).containsExactly(new SetChecker.Overlap(2, B, A));
        SetChecker.Result r = SetChecker.check(acks, List.of(), List.of(row(1, 0), row(2, 1), row(3, 0)), true);
        assertThat(r.leaderOverlaps()).isEqualTo(1);
        assertThat(r.passed()).isFalse();
    }

    @Test
    void a_failure_between_two_acknowledgements_breaks_the_reign_so_a_handover_and_back_is_no_overlap() {
        // A leads, hands over to B (client 0 fails at 15 and reconnects), B hands back to A: two switchovers, not two leaders
        List<List<WriteLoad.Ack>> acks = List.of(List.of(ack(1, 0, 9, 10, A), ack(4, 0, 30, 31, A)), List.of(ack(2, 1, 12, 20, B)));
        assertThat(SetChecker.overlaps(acks, List.of(failure(3, 0, 15)))).isEmpty();
    }

    @Test
    void a_write_that_straddles_the_reigns_edge_proves_nothing() {
        // B's write was sent before A's first acknowledgement: it may have been committed before A became a primary
        List<List<WriteLoad.Ack>> acks = List.of(List.of(ack(1, 0, 9, 10, A), ack(3, 0, 30, 31, A)), List.of(ack(2, 1, 8, 20, B)));
        assertThat(SetChecker.overlaps(acks, List.of())).isEmpty();
        // and one acknowledged after the next write was sent
        List<List<WriteLoad.Ack>> late = List.of(List.of(ack(1, 0, 9, 10, A), ack(3, 0, 30, 31, A)), List.of(ack(2, 1, 12, 30, B)));
        assertThat(SetChecker.overlaps(late, List.of())).isEmpty();
    }

    @Test
    void reigns_of_one_member_from_several_clients_join_where_they_overlap() {
        // client 0 proves A from 10 to 20, client 1 from 18 to 40: B's write from 15 to 35 lies within their union
        List<List<WriteLoad.Ack>> acks = List.of(List.of(ack(1, 0, 9, 10, A), ack(2, 0, 20, 21, A)),
                List.of(ack(3, 1, 17, 18, A), ack(4, 1, 40, 41, A)), List.of(ack(5, 2, 15, 35, B)));
        assertThat(SetChecker.overlaps(acks, List.of())).containsExactly(new SetChecker.Overlap(5, B, A));
        assertThat(SetChecker.merge(List.of(new SetChecker.Reign(A, 10, 20), new SetChecker.Reign(A, 18, 40),
                new SetChecker.Reign(A, 50, 60)))).containsExactly(new SetChecker.Reign(A, 10, 40), new SetChecker.Reign(A, 50, 60));
    }

    @Test
    void a_clean_failover_under_load_shows_no_overlap() {
        // two clients on A until 100 ms, an outage with failures, then both on B
        List<WriteLoad.Ack> c0 = new ArrayList<>();
        List<WriteLoad.Ack> c1 = new ArrayList<>();
        List<WriteLoad.Failure> failures = new ArrayList<>();
        long seq = 0;
        for (long t = 0; t < 100; t += 10) {
            c0.add(ack(++seq, 0, t, t + 4, A));
            c1.add(ack(++seq, 1, t + 5, t + 9, A));
        }
        failures.add(failure(++seq, 0, 105));
        failures.add(failure(++seq, 1, 108));
        for (long t = 200; t < 300; t += 10) {
            c0.add(ack(++seq, 0, t, t + 4, B));
            c1.add(ack(++seq, 1, t + 5, t + 9, B));
        }
        assertThat(SetChecker.overlaps(List.of(c0, c1), failures)).isEmpty();
        // unless a third client still on A gets a write acknowledged inside B's reign
        List<WriteLoad.Ack> c2 = List.of(ack(++seq, 2, 246, 248, A));
        assertThat(SetChecker.overlaps(List.of(c0, c1, c2), failures)).containsExactly(new SetChecker.Overlap(seq, A, B));
    }

    @Test
    void with_pooled_connections_the_overlap_rule_is_not_checked() {
        List<List<WriteLoad.Ack>> acks = List.of(List.of(ack(1, 0, 9, 10, A), ack(3, 0, 30, 31, A)), List.of(ack(2, 1, 12, 20, B)));
        SetChecker.Result r = SetChecker.check(acks, List.of(), List.of(row(1, 0), row(2, 1), row(3, 0)), false);
        assertThat(r.leaderOverlaps()).isNull();
        assertThat(r.passed()).isTrue();
    }
}
