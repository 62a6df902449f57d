package io.connectha.monitor;

import io.connectha.check.CheckState;
import io.connectha.status.ClusterStatus;
import io.connectha.status.StatusSamples;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class EventDetectorTest {

    private static final Instant AT = Instant.parse("2026-12-05T14:00:00.123Z");

    private static Round round(ClusterStatus s) {
        return new Round(s, null, CheckState.none(s.cluster()), Map.of(), AT);
    }

    private static Round round(ClusterStatus s, CheckState state) {
        return new Round(s, null, state, Map.of(), AT);
    }

    private static List<String> types(List<Event> events) {
        return events.stream().map(e -> e.type() + (e.member() == null ? "" : "@" + e.member())).toList();
    }

    @Test
    void a_healthy_first_round_and_an_unchanged_one_tell_nothing() {
        assertThat(EventDetector.changes(AT, null, round(StatusSamples.healthy()))).isEmpty();
        assertThat(EventDetector.changes(AT, round(StatusSamples.healthy()), round(StatusSamples.healthy()))).isEmpty();
    }

    @Test
    void a_monitor_started_during_an_incident_tells_what_is_already_wrong() {
        assertThat(types(EventDetector.changes(AT, null, round(StatusSamples.notStreaming("pg3")))))
                .containsExactly("replica_not_streaming@pg3");
    }

    @Test
    void a_member_down_then_back_is_told_once_each_way() {
        Round healthy = round(StatusSamples.healthy());
        Round down = round(StatusSamples.postgresDown("pg2"));
        List<Event> goes = EventDetector.changes(AT, healthy, down);
        assertThat(types(goes)).contains("member_down@pg2");
        assertThat(goes.stream().filter(e -> e.type() == EventType.member_down).findFirst().orElseThrow().message())
                .startsWith("pg2 is down: PostgreSQL: ");
        assertThat(types(EventDetector.changes(AT, down, down))).isEmpty();
        assertThat(types(EventDetector.changes(AT, down, healthy))).containsExactly("member_up@pg2");
    }

    @Test
    void a_silent_patroni_is_a_member_down_too() {
        Round healthy = round(StatusSamples.healthy());
        Round silent = new Round(StatusSamples.healthy(), null, CheckState.none("lab"), Map.of("pg3", "no answer within 3500 ms"), AT);
        List<Event> events = EventDetector.changes(AT, healthy, silent);
        assertThat(types(events)).containsExactly("member_down@pg3");
        assertThat(events.get(0).message()).isEqualTo("pg3 is down: Patroni: no answer within 3500 ms");
    }

    @Test
    void a_replica_that_stops_streaming_and_streams_again() {
        Round healthy = round(StatusSamples.healthy());
        Round stopped = round(StatusSamples.notStreaming("pg2"));
        assertThat(types(EventDetector.changes(AT, healthy, stopped))).containsExactly("replica_not_streaming@pg2");
        List<Event> back = EventDetector.changes(AT, stopped, healthy);
        assertThat(types(back)).containsExactly("replica_streaming@pg2");
        assertThat(back.get(0).message()).isEqualTo("pg2 streams from pg1 again");
    }

    @Test
    void the_member_that_now_holds_the_leader_key_is_not_a_replica_that_stopped_streaming() {
        // the round read Patroni's view from before the promotion; the watch already saw pg2 take the key
        assertThat(EventDetector.changes(AT, round(StatusSamples.healthy()), round(StatusSamples.notStreaming("pg2")), "pg2")).isEmpty();
    }

    @Test
    void lag_over_the_threshold_and_back_under_carry_the_lag() {
        Round healthy = round(StatusSamples.healthy());
        Round behind = round(StatusSamples.lag("pg3", 5_000_000));
        List<Event> over = EventDetector.changes(AT, healthy, behind);
        assertThat(types(over)).containsExactly("lag_over@pg3");
        assertThat(over.get(0).lagBytes()).isEqualTo(5_000_000L);
        List<Event> under = EventDetector.changes(AT, behind, healthy);
        assertThat(types(under)).containsExactly("lag_under@pg3");
        assertThat(under.get(0).lagBytes()).isEqualTo(0L);
    }

    @Test
    void etcd_quorum_lost_and_back() {
        Round healthy = round(StatusSamples.healthy());
        Round lost = round(StatusSamples.etcdDown(1, 2));
        List<Event> events = EventDetector.changes(AT, healthy, lost);
        assertThat(types(events)).containsExactly("etcd_quorum_lost");
        assertThat(events.get(0).message()).isEqualTo("etcd has no quorum: 1 of 3 endpoints answer");
        assertThat(types(EventDetector.changes(AT, lost, healthy))).containsExactly("etcd_quorum_back");
    }

    @Test
    void haproxys_write_port_reaching_a_replica_and_the_leader_again() {
        Round healthy = round(StatusSamples.healthy());
        Round wrong = round(StatusSamples.writePortReaches("pg2"));
        List<Event> events = EventDetector.changes(AT, healthy, wrong);
        assertThat(types(events)).containsExactly("haproxy_write_not_leader");
        assertThat(events.get(0).to()).isEqualTo("pg2");
        List<Event> back = EventDetector.changes(AT, wrong, healthy);
        assertThat(types(back)).containsExactly("haproxy_write_leader");
        assertThat(back.get(0).to()).isEqualTo("pg1");
    }

    @Test
    void a_timeline_change_says_from_what_to_what() {
        ClusterStatus before = StatusSamples.healthy();
        List<Event> events = EventDetector.changes(AT, round(before), round(StatusSamples.onTimeline(before, before.timeline() + 1)));
        assertThat(types(events)).containsExactly("timeline_changed");
        assertThat(events.get(0).from()).isEqualTo(String.valueOf(before.timeline()));
        assertThat(events.get(0).to()).isEqualTo(String.valueOf(before.timeline() + 1));
    }

    @Test
    void a_config_change_names_the_settings_that_changed() {
        ClusterStatus s = StatusSamples.healthy();
        CheckState was = new CheckState("lab", 1, "aaa", Map.of("ttl", "30", "loop_wait", "10"));
        CheckState now = new CheckState("lab", 1, "bbb", Map.of("ttl", "25", "loop_wait", "10", "retry_timeout", "7"));
        List<Event> events = EventDetector.changes(AT, round(s, was), round(s, now));
        assertThat(types(events)).containsExactly("config_changed");
        assertThat(events.get(0).message()).isEqualTo("the DCS config changed: retry_timeout (unset) -> 7, ttl 30 -> 25");
        assertThat(EventDetector.changes(AT, round(s, now), round(s, now))).isEmpty();
    }
}
