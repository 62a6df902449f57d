package io.connectha.drill;

import io.connectha.drill.SplitBrainAnalysis.DoubleWrite;
import io.connectha.drill.SplitBrainAnalysis.RouteViolation;
import io.connectha.drill.SplitBrainAnalysis.Span;
import io.connectha.drill.SplitBrainAnalysis.Window;
import io.connectha.drill.WriteSample.Outcome;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.connectha.drill.WriteSample.Outcome.accepted;
import static io.connectha.drill.WriteSample.Outcome.down;
import static io.connectha.drill.WriteSample.Outcome.read_only;
import static org.assertj.core.api.Assertions.assertThat;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class SplitBrainAnalysisTest {

    private static final List<String> MEMBERS = List.of("pg1", "pg2", "pg3");

    /** pg1 leads, is lost at 0, pg2 takes the key at 100 and is promoted at 150, HAProxy follows at 200, pg1 is back read-only at 250. */
    private static List<WriteSample> failover() {
        List<WriteSample> s = new ArrayList<>();
        s.add(sample(-50, "pg1", "pg1", accepted, read_only, read_only));
        s.add(sample(0, "pg1", null, down, read_only, read_only));
        s.add(sample(50, null, null, down, read_only, read_only));
        s.add(sample(100, "pg2", null, down, read_only, read_only));
        s.add(sample(150, "pg2", null, down, accepted, read_only));
        s.add(sample(200, "pg2", "pg2", down, accepted, read_only));
        s.add(sample(250, "pg2", "pg2", read_only, accepted, read_only));
        return s;
    }

    private static WriteSample sample(long at, String key, String haproxy, Outcome pg1, Outcome pg2, Outcome pg3) {
        Map<String, Outcome> m = new LinkedHashMap<>();
        m.put("pg1", pg1);
        m.put("pg2", pg2);
        m.put("pg3", pg3);
        return new WriteSample(at, key, true, m, haproxy, haproxy != null);
    }

    @Test
    void each_member_gets_the_windows_in_which_it_accepted_writes() {
        Map<String, List<Window>> w = SplitBrainAnalysis.writeWindows(failover(), MEMBERS);
        assertThat(w.get("pg1")).containsExactly(new Window(-50, -50, 1));
        assertThat(w.get("pg2")).containsExactly(new Window(150, 250, 3));
        assertThat(w.get("pg3")).isEmpty();
    }

    @Test
    void a_member_that_writes_again_after_a_gap_has_two_windows() {
        List<WriteSample> s = List.of(sample(0, "pg1", "pg1", accepted, read_only, read_only),
                sample(50, "pg1", null, down, read_only, read_only),
                sample(100, "pg1", "pg1", accepted, read_only, read_only));
        assertThat(SplitBrainAnalysis.writeWindows(s, MEMBERS).get("pg1")).containsExactly(new Window(0, 0, 1), new Window(100, 100, 1));
    }

    @Test
    void two_members_accepting_at_one_sample_is_a_double_write() {
        assertThat(SplitBrainAnalysis.doubleWrites(failover())).isEmpty();
        List<WriteSample> s = new ArrayList<>(failover());
        s.add(sample(300, "pg2", "pg2", accepted, accepted, read_only));
        assertThat(SplitBrainAnalysis.doubleWrites(s)).containsExactly(new DoubleWrite(300, List.of("pg1", "pg2")));
    }

    @Test
    void the_leader_key_and_haproxy_are_told_as_spans_over_time() {
        assertThat(SplitBrainAnalysis.leaderKeyHolders(failover()))
                .containsExactly(new Span("pg1", -50, 0, 2), new Span(null, 50, 50, 1), new Span("pg2", 100, 250, 4));
        assertThat(SplitBrainAnalysis.haproxyRoutes(failover()))
                .containsExactly(new Span("pg1", -50, -50, 1), new Span(null, 0, 150, 4), new Span("pg2", 200, 250, 2));
    }

    @Test
    void haproxy_may_disagree_with_the_key_for_one_sample_around_a_change_but_not_more() {
        List<WriteSample> s = new ArrayList<>();
        s.add(sample(0, "pg1", "pg1", accepted, read_only, read_only));
        s.add(sample(50, "pg2", "pg1", down, accepted, read_only)); // the key changed between the etcd read and the connection
        s.add(sample(100, "pg2", "pg2", down, accepted, read_only));
        assertThat(SplitBrainAnalysis.haproxyViolations(s)).isEmpty();
        s.add(sample(150, "pg2", "pg1", down, accepted, read_only));
        assertThat(SplitBrainAnalysis.haproxyViolations(s)).containsExactly(new RouteViolation(150, "pg1", "pg2"));
    }

    @Test
    void samples_without_an_answer_from_etcd_judge_no_route() {
        Map<String, Outcome> m = Map.of("pg1", down, "pg2", accepted, "pg3", read_only);
        List<WriteSample> s = List.of(new WriteSample(0, null, false, m, "pg3", true));
        assertThat(SplitBrainAnalysis.haproxyViolations(s)).isEmpty();
        assertThat(SplitBrainAnalysis.leaderKeyHolders(s)).isEmpty();
    }

    @Test
    void writes_on_the_old_leader_after_its_start_are_counted() {
        assertThat(SplitBrainAnalysis.acceptedFrom(failover(), "pg1", 100)).isZero();
        assertThat(SplitBrainAnalysis.acceptedFrom(failover(), "pg1", -50)).isEqualTo(1);
    }
}
