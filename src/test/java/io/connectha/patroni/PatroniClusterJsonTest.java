package io.connectha.patroni;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Patroni's {@code /cluster} answers, as Patroni 3.0 and 4.x write them, read into the model. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class PatroniClusterJsonTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static PatroniCluster read(String json) throws Exception {
        return PatroniCluster.fromJson(JSON.readTree(json));
    }

    @Test
    void patroni_3_0_members_with_lag_and_the_leader_without() throws Exception {
        // captured from the lab's Patroni 3.0.2
        PatroniCluster c = read("""
                {"members": [{"name": "pg1", "role": "replica", "state": "running", "api_url": "http://127.0.0.11:22011/patroni",
                 "host": "127.0.0.11", "port": 22001, "timeline": 1, "lag": 0},
                 {"name": "pg2", "role": "leader", "state": "running", "api_url": "http://127.0.0.12:22012/patroni",
                 "host": "127.0.0.12", "port": 22002, "timeline": 1},
                 {"name": "pg3", "role": "replica", "state": "running", "api_url": "http://127.0.0.13:22013/patroni",
                 "host": "127.0.0.13", "port": 22003, "timeline": 1, "lag": 0}]}""");
        assertThat(c.members()).extracting(PatroniMember::name).containsExactly("pg1", "pg2", "pg3");
        assertThat(c.leader()).map(PatroniMember::name).contains("pg2");
        PatroniMember pg1 = c.members().get(0);
        assertThat(pg1.role()).isEqualTo(PatroniMember.Role.replica);
        assertThat(pg1.host()).isEqualTo("127.0.0.11");
        assertThat(pg1.port()).isEqualTo(22001);
        assertThat(pg1.apiUrl()).isEqualTo("http://127.0.0.11:22011/patroni");
        assertThat(pg1.timeline()).isEqualTo(1);
        assertThat(pg1.lagBytes()).isZero();
        assertThat(pg1.isRunning()).isTrue();
        assertThat(c.members().get(1).lagBytes()).isNull();
        assertThat(c.isPaused()).isFalse();
        assertThat(c.paused()).isNull();
        assertThat(c.scheduledSwitchover()).isNull();
    }

    @Test
    void unknown_lag_tags_pause_pending_restart_and_a_scheduled_switchover() throws Exception {
        PatroniCluster c = read("""
                {"members": [{"name": "a", "role": "sync_standby", "state": "streaming", "host": "10.0.0.1", "port": 5432,
                  "timeline": 7, "lag": "unknown", "pending_restart": true, "tags": {"nofailover": true, "zone": "b", "weight": 3},
                  "receive_lag": 0, "xlog": {"received_location": 1}},
                 {"name": "b", "role": "primary", "state": "running", "timeline": 7, "lag": 12345678901}],
                 "pause": true, "scheduled_switchover": {"at": "2026-11-23T10:00:00+00:00", "from": "b", "to": "a"}}""");
        PatroniMember a = c.members().get(0);
        assertThat(a.lagBytes()).isNull();
        assertThat(a.lagValue()).isEqualTo("unknown");
        assertThat(a.pendingRestart()).isTrue();
        assertThat(a.tags()).containsEntry("nofailover", true).containsEntry("zone", "b").containsEntry("weight", 3);
        assertThat(a.isRunning()).isTrue();
        assertThat(c.members().get(1).lagBytes()).isEqualTo(12345678901L);
        assertThat(c.leader()).map(PatroniMember::name).contains("b");
        assertThat(c.isPaused()).isTrue();
        assertThat(c.scheduledSwitchover()).isEqualTo(new PatroniCluster.ScheduledSwitchover("2026-11-23T10:00:00+00:00", "b", "a"));
    }

    @Test
    void a_role_this_version_does_not_know_is_no_role_and_never_a_leader() throws Exception {
        PatroniCluster c = read("""
                {"members": [{"name": "q", "role": "quorum_standby", "state": "streaming", "port": "5433"}]}""");
        assertThat(c.members().get(0).role()).isNull();
        assertThat(c.members().get(0).isLeader()).isFalse();
        assertThat(c.members().get(0).port()).isEqualTo(5433);
        assertThat(c.leader()).isEmpty();
    }

    @Test
    void no_members_is_an_empty_list() throws Exception {
        assertThat(read("{}").members()).isEmpty();
    }
}
