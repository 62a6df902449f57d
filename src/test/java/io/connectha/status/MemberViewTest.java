package io.connectha.status;

import io.connectha.patroni.PatroniMember;
import io.connectha.render.Renderer;
import io.connectha.render.StatusView;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** What status says of each member (role, state, lag, streaming), and how the role is printed. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class MemberViewTest {

    @Test
    void roles_carry_patronis_names_into_json_yaml_and_the_table() {
        ClusterStatus s = StatusJudgment.judge(Observed.healthy().patroniRole("pg2", PatroniMember.Role.sync_standby).build());
        assertThat(s.members()).extracting(MemberStatus::role)
                .containsExactly(MemberRole.leader, MemberRole.sync_standby, MemberRole.replica);
        assertThat(s.members().get(1).patroni().role()).isEqualTo(PatroniMember.Role.sync_standby);

        String json = Renderer.json(s);
        assertThat(json).contains("\"role\" : \"leader\"", "\"role\" : \"sync_standby\"", "\"role\" : \"replica\"")
                .doesNotContain("MemberRole");
        assertThat(Renderer.yaml(s)).contains("role: sync_standby");
        StringWriter table = new StringWriter();
        StatusView.print(new PrintWriter(table), s);
        assertThat(table.toString()).containsPattern("(?m)^pg2 +127\\.0\\.0\\.12:5434 +sync_standby +streaming +1 ");
    }

    @Test
    void the_table_says_how_patroni_runs_and_whether_that_was_read_live() {
        StringWriter live = new StringWriter();
        StatusView.print(new PrintWriter(live), StatusJudgment.judge(Observed.healthy().build()));
        assertThat(live.toString()).contains("Patroni    ttl 10 s, loop_wait 2 s, retry_timeout 4 s, maximum_lag_on_failover 1.0 MB"
                + " (live DCS config)");
        StringWriter file = new StringWriter();
        StatusView.print(new PrintWriter(file), StatusJudgment.judge(Observed.healthy().liveConfigUnreadable(Observed.refused("etcd")).build()));
        assertThat(file.toString()).contains("(cluster file: the live config could not be read)");
    }

    @Test
    void a_standby_leader_leads_and_is_not_judged_a_replica() {
        ClusterStatus s = StatusJudgment.judge(Observed.healthy().patroniRole("pg1", PatroniMember.Role.standby_leader).build());
        assertThat(s.leader()).isEqualTo("pg1");
        assertThat(s.members().get(0).role()).isEqualTo(MemberRole.standby_leader);
        assertThat(s.members().get(0).isLeader()).isTrue();
        assertThat(s.members().get(0).streaming()).isNull();
        assertThat(s.problems()).isEmpty();
    }

    @Test
    void patronis_older_words_for_the_leader_read_as_leader() {
        for (PatroniMember.Role old : new PatroniMember.Role[]{PatroniMember.Role.master, PatroniMember.Role.primary}) {
            ClusterStatus s = StatusJudgment.judge(Observed.healthy().patroniRole("pg1", old).build());
            assertThat(s.members().get(0).role()).as(old.name()).isEqualTo(MemberRole.leader);
            assertThat(s.members().get(0).patroni().role()).isEqualTo(old);
            assertThat(s.leader()).isEqualTo("pg1");
        }
    }

    @Test
    void a_member_neither_patroni_nor_postgresql_can_describe_is_unknown() {
        ClusterStatus s = StatusJudgment.judge(Observed.healthy().patroniDown("pg1").patroniDown("pg2").patroniDown("pg3")
                .postgresDown("pg3").notStreaming("pg3").build());
        MemberStatus pg3 = s.members().get(2);
        assertThat(pg3.role()).isEqualTo(MemberRole.unknown);
        assertThat(pg3.state()).isEqualTo("postgres down");
        assertThat(pg3.timeline()).isNull();
        assertThat(Renderer.json(s)).contains("\"role\" : \"unknown\"");
    }

    @Test
    void lag_comes_from_the_leaders_pg_stat_replication_and_an_idle_replica_is_zero_behind() {
        ClusterStatus s = StatusJudgment.judge(Observed.healthy().lag("pg3", 4096).build());
        MemberStatus pg2 = s.members().get(1);
        MemberStatus pg3 = s.members().get(2);
        assertThat(pg2.lagBytes()).isZero();
        assertThat(pg2.lag()).isEqualTo(Duration.ZERO); // replay_lag is null on an idle primary
        assertThat(pg3.lagBytes()).isEqualTo(4096);
        assertThat(pg3.lag()).isEqualTo(Duration.ofMillis(58));
        assertThat(pg3.replication().state()).isEqualTo("streaming");
        assertThat(s.members().get(0).lagBytes()).isNull();
        assertThat(s.members().get(0).streaming()).isNull();
    }
}
