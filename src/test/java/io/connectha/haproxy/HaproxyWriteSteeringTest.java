package io.connectha.haproxy;

import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class HaproxyWriteSteeringTest {

    @Test
    void the_old_leader_is_forced_down_before_the_new_one_is_forced_up_and_no_admin_state_is_touched() {
        assertThat(HaproxyWriteSteering.commands("write", "pg_node1", "pg_node2"))
                .containsExactly("set server write/pg_node1 health down", "set server write/pg_node2 health up");
    }

    @Test
    void without_a_server_for_the_old_leader_only_the_new_one_is_forced_up() {
        assertThat(HaproxyWriteSteering.commands("write", null, "pg2")).containsExactly("set server write/pg2 health up");
    }
}
