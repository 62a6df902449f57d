package io.connectha.patroni;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** GET /patroni as Patroni 3.0.2 answered on the lab, and the shapes older and newer versions give. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class PatroniNodeTest {

    private static PatroniNode parse(String json) throws Exception {
        return PatroniNode.fromJson("pg2", new ObjectMapper().readTree(json));
    }

    @Test
    void a_replica_with_a_scheduled_restart_and_a_pending_one() throws Exception {
        PatroniNode n = parse("""
                {"state": "running", "postmaster_start_time": "2026-12-05 10:38:20.491285+00:00", "role": "replica",
                 "server_version": 150018, "xlog": {"received_location": 67109208}, "timeline": 1,
                 "pending_restart": true, "scheduled_restart": {"schedule": "2026-12-05T13:00:00+00:00"},
                 "patroni": {"version": "3.0.2", "scope": "lab"}}""");
        assertThat(n.postmasterStart()).isEqualTo(Instant.parse("2026-12-05T10:38:20.491285Z"));
        assertThat(n.pendingRestart()).isTrue();
        assertThat(n.scheduledRestart()).isEqualTo("2026-12-05T13:00:00+00:00");
        assertThat(n.patroniVersion()).isEqualTo("3.0.2");
        assertThat(n.scope()).isEqualTo("lab");
        assertThat(n.postgresVersion()).isEqualTo("15.18");
        assertThat(n.isLeader()).isFalse();
        assertThat(n.timeline()).isEqualTo(1);
    }

    @Test
    void leaders_by_every_name_patroni_has_given_them_and_old_version_numbers() throws Exception {
        for (String role : new String[]{"leader", "master", "primary", "standby_leader"}) {
            assertThat(parse("{\"role\": \"" + role + "\"}").isLeader()).as(role).isTrue();
        }
        PatroniNode old = parse("""
                {"state": "running", "postmaster_start_time": "2019-01-01 00:00:00+01:00", "role": "master", "server_version": 90624}""");
        assertThat(old.postgresVersion()).isEqualTo("9.6.24");
        assertThat(old.postmasterStart()).isEqualTo(Instant.parse("2018-12-31T23:00:00Z"));
        assertThat(old.pendingRestart()).isFalse();
        assertThat(old.scheduledRestart()).isNull();
        assertThat(old.patroniVersion()).isNull();
    }

    @Test
    void postgresql_down_leaves_its_start_and_version_unknown() throws Exception {
        PatroniNode down = parse("""
                {"state": "stopped", "role": "replica", "patroni": {"version": "4.0.4", "scope": "main"}}""");
        assertThat(down.postmasterStart()).isNull();
        assertThat(down.postgresVersion()).isNull();
        assertThat(down.patroniVersion()).isEqualTo("4.0.4");
    }

    @Test
    void the_role_filter_admits_by_role_now() throws Exception {
        PatroniNode leader = parse("{\"role\": \"leader\"}");
        PatroniNode replica = parse("{\"role\": \"replica\"}");
        assertThat(RollingRestart.RoleFilter.leader.admits(leader)).isTrue();
        assertThat(RollingRestart.RoleFilter.leader.admits(replica)).isFalse();
        assertThat(RollingRestart.RoleFilter.replica.admits(replica)).isTrue();
        assertThat(RollingRestart.RoleFilter.replica.admits(leader)).isFalse();
        assertThat(RollingRestart.RoleFilter.any.admits(leader)).isTrue();
    }
}
