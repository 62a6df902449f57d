package io.connectha.monitor;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class LeaderTrackerTest {

    private static final Instant AT = Instant.parse("2026-12-05T14:00:00.123Z");

    private static String told(List<Event> events) {
        return events.isEmpty() ? "" : events.get(0).type() + " " + events.get(0).from() + "->" + events.get(0).to() + ": "
                + events.get(0).message();
    }

    @Test
    void the_first_reading_tells_nothing_and_a_new_holder_is_a_change() {
        LeaderTracker t = new LeaderTracker("lab");
        assertThat(t.seen(AT, "pg1", "etcd_watch")).isEmpty();
        assertThat(t.seen(AT, "pg1", "gather")).isEmpty();
        assertThat(told(t.seen(AT, "pg2", "etcd_watch"))).isEqualTo("leader_changed pg1->pg2: the leader changed from pg1 to pg2");
        assertThat(t.changes()).isEqualTo(1);
        assertThat(t.holder()).isEqualTo("pg2");
    }

    @Test
    void a_key_that_expires_is_lost_and_whoever_takes_it_next_is_a_change_even_the_same_member() {
        LeaderTracker t = new LeaderTracker("lab");
        t.seen(AT, "pg1", "etcd_watch");
        assertThat(told(t.seen(AT, null, "etcd_watch")))
                .isEqualTo("leader_lost pg1->null: the leader key is gone: pg1 no longer holds it, and no member does");
        assertThat(t.seen(AT, null, "gather")).as("told once").isEmpty();
        assertThat(t.holder()).isNull();
        assertThat(told(t.seen(AT, "pg1", "gather"))).isEqualTo("leader_changed pg1->pg1: pg1 holds the leader key again, after no member did");
        assertThat(t.seen(AT, null, "etcd_watch")).hasSize(1);
        assertThat(told(t.seen(AT, "pg3", "etcd_watch"))).isEqualTo("leader_changed pg1->pg3: the leader changed from pg1 to pg3");
        assertThat(t.changes()).isEqualTo(2);
    }

    @Test
    void a_cluster_without_a_leader_at_start_tells_nothing_until_one_is_elected() {
        LeaderTracker t = new LeaderTracker("lab");
        assertThat(t.seen(AT, null, "etcd_watch")).isEmpty();
        assertThat(t.seen(AT, "pg2", "etcd_watch")).isEmpty();
        assertThat(t.changes()).isZero();
    }
}
