package io.connectha.patroni;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PatroniKeysTest {

    @Test
    void keys_live_under_namespace_and_scope() {
        PatroniKeys keys = new PatroniKeys("/service", "lab");
        assertThat(keys.prefix()).isEqualTo("/service/lab/");
        assertThat(keys.leader()).isEqualTo("/service/lab/leader");
        assertThat(keys.member("pg2")).isEqualTo("/service/lab/members/pg2");
        assertThat(keys.history()).isEqualTo("/service/lab/history");
        assertThat(new PatroniKeys("/service/", "x").config()).isEqualTo("/service/x/config");
    }

    @Test
    void members_config_history_status_sync_failover_and_failsafe_hold_json_in_any_scope_of_the_namespace() {
        PatroniKeys keys = new PatroniKeys("/service", "lab");
        assertThat(keys.holdsJson(keys.member("pg1"))).isTrue();
        assertThat(keys.holdsJson(keys.config())).isTrue();
        assertThat(keys.holdsJson(keys.history())).isTrue();
        assertThat(keys.holdsJson(keys.status())).isTrue();
        assertThat(keys.holdsJson(keys.sync())).isTrue();
        assertThat(keys.holdsJson(keys.failover())).isTrue();
        assertThat(keys.holdsJson(keys.failsafe())).isTrue();
        assertThat(keys.holdsJson("/service/other/members/db7")).isTrue();
    }

    @Test
    void leader_initialize_and_keys_outside_the_layout_hold_no_json() {
        PatroniKeys keys = new PatroniKeys("/service", "lab");
        assertThat(keys.holdsJson(keys.leader())).isFalse();
        assertThat(keys.holdsJson(keys.initialize())).isFalse();
        assertThat(keys.holdsJson(keys.membersPrefix())).isFalse();
        assertThat(keys.holdsJson("/service/lab/members/pg1/extra")).isFalse();
        assertThat(keys.holdsJson("/elsewhere/lab/config")).isFalse();
        assertThat(keys.holdsJson("/service/config")).isFalse();
    }

    @Test
    void a_relative_key_is_taken_under_the_cluster_prefix() {
        PatroniKeys keys = new PatroniKeys("/service", "lab");
        assertThat(keys.resolve("members/pg1")).isEqualTo("/service/lab/members/pg1");
        assertThat(keys.resolve("leader")).isEqualTo(keys.leader());
        assertThat(keys.resolve("/other/key")).isEqualTo("/other/key");
    }
}
