package io.connectha.dashboard;

import io.connectha.dashboard.DashboardModel.EventKind;
import io.connectha.dashboard.DashboardModel.Level;
import io.connectha.status.ClusterStatus;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static io.connectha.dashboard.Snapshots.T0;
import static org.assertj.core.api.Assertions.assertThat;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class DashboardModelTest {

    private static final long MB = 1 << 20;

    private final DashboardModel model = new DashboardModel(DashboardModel.LagThresholds.fromMaximumLagOnFailover(16 * MB));

    private void feed(ClusterStatus... snapshots) {
        for (int i = 0; i < snapshots.length; i++) {
            model.accept(snapshots[i], T0.plusSeconds(i));
        }
    }

    private List<String> texts() {
        return model.events().stream().map(DashboardModel.Event::text).toList();
    }

    @Test
    void a_steady_cluster_makes_no_events() {
        feed(Snapshots.healthy().at(T0), Snapshots.healthy().at(T0.plusSeconds(1)), Snapshots.healthy().at(T0.plusSeconds(2)));
        assertThat(model.events()).isEmpty();
        assertThat(model.latestAt()).isEqualTo(T0.plusSeconds(2));
    }

    @Test
    void a_leader_change_is_an_event_with_the_new_timeline() {
        feed(Snapshots.healthy().at(T0), Snapshots.healthy().leader("pg2").at(T0));
        assertThat(texts()).contains("leader changed: pg1 -> pg2", "timeline 1 -> 2");
        assertThat(model.events()).extracting(DashboardModel.Event::kind).contains(EventKind.LEADER, EventKind.TIMELINE);
    }

    @Test
    void losing_the_leader_is_critical() {
        feed(Snapshots.healthy().at(T0), Snapshots.healthy().leader(null).at(T0));
        assertThat(model.events().get(0).text()).isEqualTo("no leader (was pg1)");
        assertThat(model.events().get(0).level()).isEqualTo(Level.CRITICAL);
    }

    @Test
    void a_member_going_down_and_coming_back_makes_two_events_in_order() {
        feed(Snapshots.healthy().at(T0), Snapshots.healthy().down("pg3").at(T0), Snapshots.healthy().at(T0));
        assertThat(texts()).containsExactly("pg3 down: postgres down", "pg3 up again: streaming");
        assertThat(model.events()).extracting(DashboardModel.Event::at).containsExactly(T0.plusSeconds(1), T0.plusSeconds(2));
    }

    @Test
    void lag_crossing_warning_then_critical_then_back_is_an_event_each_time_with_the_bytes() {
        feed(Snapshots.healthy().at(T0),
                Snapshots.healthy().lag("pg2", 5 * MB).at(T0),    // above 4 MB: warning
                Snapshots.healthy().lag("pg2", 6 * MB).at(T0),    // still warning: nothing new
                Snapshots.healthy().lag("pg2", 20 * MB).at(T0),   // above 16 MB: critical
                Snapshots.healthy().lag("pg2", 0).at(T0));
        assertThat(texts()).containsExactly("pg2 lag above warning threshold", "pg2 lag above critical threshold",
                "pg2 lag back below critical threshold");
        assertThat(model.events()).extracting(DashboardModel.Event::lagBytes).containsExactly(5 * MB, 20 * MB, 0L);
        assertThat(model.events()).extracting(DashboardModel.Event::level).containsExactly(Level.WARN, Level.CRITICAL, Level.OK);
    }

    @Test
    void streaming_stopping_and_components_failing_are_events() {
        feed(Snapshots.healthy().at(T0), Snapshots.healthy().notStreaming("pg2").haproxyDown().etcdDown().at(T0),
                Snapshots.healthy().at(T0));
        assertThat(texts()).containsExactly("pg2 stopped streaming", "etcd does not answer", "HAProxy does not answer",
                "pg2 streaming again", "etcd answers again", "HAProxy answers again");
    }

    @Test
    void pausing_patroni_is_an_event() {
        feed(Snapshots.healthy().at(T0), Snapshots.healthy().paused(true).at(T0));
        assertThat(texts()).containsExactly("Patroni paused (maintenance mode)");
    }

    @Test
    void a_component_that_stops_answering_keeps_its_last_answer_and_when_it_was_given() {
        feed(Snapshots.healthy().at(T0), Snapshots.healthy().pgbouncerDown().at(T0), Snapshots.healthy().pgbouncerDown().at(T0));
        assertThat(model.componentLastSeen(DashboardModel.PGBOUNCER)).isEqualTo(T0);
        assertThat(model.lastAnsweredPgbouncer().pools()).hasSize(1);
        assertThat(model.latest().pgbouncer().reachable()).isFalse();
        assertThat(model.componentLastSeen(DashboardModel.HAPROXY)).isEqualTo(T0.plusSeconds(2));
    }

    @Test
    void a_down_member_remembers_when_it_last_answered() {
        feed(Snapshots.healthy().at(T0), Snapshots.healthy().at(T0), Snapshots.healthy().down("pg2").at(T0));
        assertThat(model.memberLastSeen("pg2")).isEqualTo(T0.plusSeconds(1));
        assertThat(model.memberLastSeen("pg1")).isEqualTo(T0.plusSeconds(2));
        assertThat(model.memberLastSeen("pg9")).isNull();
    }

    @Test
    void staleness_reads_in_seconds_then_minutes_then_hours() {
        Instant seen = T0;
        assertThat(DashboardModel.lastSeenText(seen, T0.plusMillis(12_400))).isEqualTo("last seen 12 s ago");
        assertThat(DashboardModel.lastSeenText(seen, T0.plusSeconds(600))).isEqualTo("last seen 10 min ago");
        assertThat(DashboardModel.lastSeenText(seen, T0.plusSeconds(3 * 3600))).isEqualTo("last seen 3 h ago");
        assertThat(DashboardModel.lastSeenText(null, T0)).isEqualTo("never seen");
    }

    @Test
    void the_lag_trend_keeps_the_latest_values_with_gaps_where_lag_was_unknown() {
        for (int i = 0; i < DashboardModel.TREND_LENGTH + 5; i++) {
            model.accept(Snapshots.healthy().lag("pg2", i).at(T0), T0.plusSeconds(i));
        }
        model.accept(Snapshots.healthy().down("pg2").at(T0), T0.plusSeconds(100));
        List<Long> trend = model.lagTrend("pg2");
        assertThat(trend).hasSize(DashboardModel.TREND_LENGTH);
        assertThat(trend.get(trend.size() - 2)).isEqualTo(DashboardModel.TREND_LENGTH + 4L);
        assertThat(trend.get(trend.size() - 1)).isNull();
        assertThat(model.lagTrend("pg1")).containsOnly(0L);
    }

    @Test
    void the_sparkline_scales_to_the_largest_value_and_leaves_gaps_for_unknowns() {
        assertThat(Sparkline.of(java.util.Arrays.asList(0L, 4L, 8L, null), 10)).isEqualTo("▁▅█ ");
        assertThat(Sparkline.of(List.of(0L, 0L, 0L), 2)).isEqualTo("▁▁");
    }
}
