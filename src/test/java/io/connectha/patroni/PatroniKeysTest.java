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
}
