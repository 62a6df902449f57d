package io.connectha.status;

import io.connectha.haproxy.HaproxyServer;

import io.connectha.cluster.Problem;
import io.connectha.patroni.DcsConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

import java.util.ArrayList;
import java.util.List;

import static io.connectha.status.Observed.authFailed;
import static io.connectha.status.Observed.refused;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The judgment of {@code connect ha status}, one problem code at a time, on observations built by
 * hand: each test asserts every problem raised (severity, code, member) in the order status lists
 * them. docs/status.md's codes must each be named by a test's {@link Raises}.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class StatusJudgmentTest {

    private final List<Problem> raised = new ArrayList<>();

    ClusterStatus judge(Observed observed) {
        ClusterStatus s = StatusJudgment.judge(observed.build());
        raised.addAll(s.problems());
        return s;
    }

    /** "critical etcd_unreachable", "warning lag_over_threshold@pg3": what a test compares, in order. */
    static List<String> problems(ClusterStatus s) {
        return s.problems().stream().map(p -> p.severity() + " " + p.code() + (p.member() == null ? "" : "@" + p.member())).toList();
    }

    static String message(ClusterStatus s, String code) {
        return s.problems().stream().filter(p -> p.code().equals(code)).map(Problem::message).findFirst().orElseThrow();
    }

    @AfterEach
    void the_codes_a_test_claims_were_raised(TestInfo test) {
        Raises claimed = test.getTestMethod().orElseThrow().getAnnotation(Raises.class);
        if (claimed != null) {
            assertThat(raised.stream().map(Problem::code)).as("codes raised in " + test.getDisplayName()).contains(claimed.value());
        }
    }

    @Test
    void a_healthy_cluster_has_no_problem() {
        ClusterStatus s = judge(Observed.healthy());
        assertThat(s.problems()).isEmpty();
        assertThat(s.healthy()).isTrue();
        assertThat(s.leader()).isEqualTo("pg1");
        assertThat(s.timeline()).isEqualTo(1);
        assertThat(s.etcd().healthy()).isEqualTo(3);
        assertThat(s.etcd().quorum()).isTrue();
        assertThat(s.etcd().leaderKeyHolder()).isEqualTo("pg1");
        assertThat(s.pgbouncer().reachesLeader()).isTrue();
        assertThat(s.slots()).extracting(ClusterStatus.Slot::name).containsExactly("pg2", "pg3");
    }

    // ------------------------------------------------------------------ etcd

    @Test
    @Raises("etcd_unreachable")
    void one_etcd_endpoint_down_of_three_keeps_the_quorum() {
        ClusterStatus s = judge(Observed.healthy().etcdDown(2));
        assertThat(problems(s)).containsExactly("critical etcd_unreachable");
        assertThat(message(s, "etcd_unreachable")).startsWith("etcd at http://127.0.0.22:2379: could not reach");
        assertThat(s.etcd().quorum()).isTrue();
        assertThat(s.etcd().healthy()).isEqualTo(2);
        assertThat(s.etcd().error()).contains("connection refused");
    }

    @Test
    @Raises("etcd_no_quorum")
    void two_etcd_endpoints_down_of_three_is_no_quorum_after_the_endpoints_that_cause_it() {
        ClusterStatus s = judge(Observed.healthy().etcdDown(3, 2));
        assertThat(problems(s)).containsExactly("critical etcd_unreachable", "critical etcd_unreachable", "critical etcd_no_quorum");
        assertThat(s.problems().get(0).message()).contains("127.0.0.22"); // endpoints in the cluster file's order
        assertThat(message(s, "etcd_no_quorum")).isEqualTo("etcd has no quorum: 1 of 3 members answer");
        assertThat(s.etcd().quorum()).isFalse();
    }

    @Test
    @Raises("etcd_no_quorum")
    void etcd_without_a_raft_leader_has_no_quorum_though_every_member_answers() {
        ClusterStatus s = judge(Observed.healthy().noRaftLeader());
        assertThat(problems(s)).containsExactly("critical etcd_no_quorum");
        assertThat(message(s, "etcd_no_quorum")).isEqualTo("etcd has no quorum: 3 of 3 members answer");
    }

    @Test
    void with_no_etcd_member_answering_the_endpoints_say_it_all() {
        ClusterStatus s = judge(Observed.healthy().etcdDown(1, 2, 3));
        assertThat(problems(s)).containsExactly("critical etcd_unreachable", "critical etcd_unreachable", "critical etcd_unreachable");
        assertThat(s.anyUnreachable()).isTrue();
    }

    // ------------------------------------------------------------------ Patroni

    @Test
    @Raises("patroni_unreachable")
    void a_stopped_patroni_marks_its_member_down() {
        ClusterStatus s = judge(Observed.healthy().patroniDown("pg2"));
        assertThat(problems(s)).containsExactly("critical patroni_unreachable@pg2");
        assertThat(message(s, "patroni_unreachable")).isEqualTo("Patroni on pg2: could not reach Patroni on pg2 within 1000 ms: connection refused");
        MemberStatus pg2 = s.members().get(1);
        assertThat(pg2.state()).isEqualTo("patroni down");
        assertThat(pg2.patroni().reachable()).isFalse();
        assertThat(pg2.role()).isEqualTo(MemberRole.replica); // from the others' cluster view
        assertThat(s.anyUnreachable()).isTrue();
    }

    @Test
    @Raises("patroni_unreachable")
    void with_no_patroni_answering_the_cluster_view_is_missing_before_each_member() {
        ClusterStatus s = judge(Observed.healthy().patroniDown("pg1").patroniDown("pg2").patroniDown("pg3"));
        assertThat(problems(s)).containsExactly("critical patroni_unreachable", "critical patroni_unreachable@pg1",
                "critical patroni_unreachable@pg2", "critical patroni_unreachable@pg3");
        assertThat(s.problems().get(0).message()).startsWith("no member's Patroni answered: could not reach Patroni on pg1");
        // who leads is then unknown to Patroni; PostgreSQL still says who writes
        assertThat(s.leader()).isNull();
        assertThat(s.members()).extracting(MemberStatus::role).containsExactly(MemberRole.leader, MemberRole.replica, MemberRole.replica);
        assertThat(s.members()).extracting(MemberStatus::state).containsOnly("patroni down");
    }

    @Test
    @Raises("patroni_auth_failed")
    void a_patroni_that_refuses_our_credentials_is_auth_failed() {
        ClusterStatus s = judge(Observed.healthy().patroniRefuses("pg3"));
        assertThat(problems(s)).containsExactly("critical patroni_auth_failed@pg3");
        assertThat(s.anyAuthenticationFailed()).isTrue();
        assertThat(s.anyUnreachable()).isFalse();
    }

    // ------------------------------------------------------------------ PostgreSQL

    @Test
    @Raises("postgres_unreachable")
    void a_killed_replica_postgresql_is_down_whatever_patroni_says_and_its_slot_follows() {
        ClusterStatus s = judge(Observed.healthy().postgresDown("pg3").notStreaming("pg3").slotInactive("pg3", 4096));
        assertThat(problems(s)).containsExactly("critical postgres_unreachable@pg3", "warning slot_inactive");
        assertThat(message(s, "postgres_unreachable")).endsWith("connection refused (Patroni still reports it running)");
        assertThat(s.members().get(2).state()).isEqualTo("postgres down");
        assertThat(s.members().get(2).postgres().reachable()).isFalse();
    }

    @Test
    @Raises("postgres_unreachable")
    void a_dead_leader_postgresql_is_named_before_the_replicas_and_proxies_it_leaves_behind() {
        ClusterStatus s = judge(Observed.healthy().paused().postgresDown("pg1").notStreaming("pg2").notStreaming("pg3")
                .writePort(refused("HAProxy write port")).pgbouncerReaches(refused("PgBouncer")));
        assertThat(problems(s)).containsExactly("critical postgres_unreachable@pg1", "warning paused",
                "critical replica_not_streaming@pg2", "critical replica_not_streaming@pg3",
                "critical haproxy_write_unreachable", "critical pgbouncer_target_unreachable");
        assertThat(message(s, "postgres_unreachable")).endsWith("(Patroni still reports it running and leader)");
        assertThat(message(s, "replica_not_streaming")).isEqualTo("pg2: Patroni calls it running but it is not streaming from pg1"
                + " (pg_stat_replication)");
    }

    @Test
    @Raises("postgres_auth_failed")
    void a_postgresql_that_refuses_our_credentials_is_auth_failed() {
        ClusterStatus s = judge(Observed.healthy().postgresRefuses("pg2"));
        assertThat(problems(s)).containsExactly("critical postgres_auth_failed@pg2");
        assertThat(message(s, "postgres_auth_failed")).isEqualTo("PostgreSQL on pg2: authentication failed for PostgreSQL on pg2"
                + " (Patroni still reports it streaming)");
        assertThat(s.anyAuthenticationFailed()).isTrue();
    }

    // ------------------------------------------------------------------ leadership

    @Test
    @Raises("no_leader")
    void a_cluster_whose_patroni_names_no_leader_has_its_own_code() {
        // the leader key expired and Patroni demoted pg1; the replicas' WAL receivers have not noticed yet
        ClusterStatus s = judge(Observed.healthy().patroniLeaders().demoted("pg1").notStreaming("pg1"));
        assertThat(problems(s)).containsExactly("critical no_leader", "critical replica_not_streaming@pg1");
        assertThat(message(s, "no_leader")).isEqualTo("Patroni names no leader");
        assertThat(message(s, "replica_not_streaming")).isEqualTo("pg1: Patroni calls it running but it is not streaming (pg_stat_replication)");
        assertThat(s.leader()).isNull();
        assertThat(s.timeline()).isNull();
        assertThat(s.members()).extracting(MemberStatus::role).containsOnly(MemberRole.replica);
        assertThat(s.members()).extracting(MemberStatus::streaming).containsExactly(false, true, true);
    }

    @Test
    @Raises({"etcd_unreachable", "no_leader"})
    void an_etcd_outage_is_named_before_the_patroni_and_proxy_errors_it_causes() {
        // without etcd, Patroni cannot keep the leader key and demotes pg1: nobody writes, nobody streams
        ClusterStatus s = judge(Observed.healthy().etcdDown(1, 2, 3).patroniLeaders().demoted("pg1")
                .notStreaming("pg1").notStreaming("pg2").notStreaming("pg3")
                .upInWriteBackend().writePort(refused("HAProxy write port")).pgbouncerReaches(refused("PgBouncer")));
        assertThat(problems(s)).containsExactly(
                "critical etcd_unreachable", "critical etcd_unreachable", "critical etcd_unreachable",
                "critical no_leader",
                "critical replica_not_streaming@pg1", "critical replica_not_streaming@pg2", "critical replica_not_streaming@pg3",
                "critical haproxy_write_unreachable", "critical pgbouncer_target_unreachable");
        assertThat(s.etcd().healthy()).isZero();
        assertThat(s.etcd().leaderKeyHolder()).isNull();
    }

    @Test
    @Raises({"etcd_unreachable", "patroni_unreachable", "no_leader"})
    void a_frozen_etcd_comes_first_then_patroni_that_cannot_answer_then_no_leader_then_what_follows() {
        // etcd frozen (SIGSTOP) past the ttl: every Patroni's /cluster hangs on the DCS, pg1 is demoted,
        // nobody writes or streams; PostgreSQL alone says there is no leader
        ClusterStatus s = judge(Observed.healthy().etcdDown(1, 2, 3).patroniDown("pg1").patroniDown("pg2").patroniDown("pg3")
                .demoted("pg1").notStreaming("pg1").notStreaming("pg2").notStreaming("pg3")
                .upInWriteBackend().writePort(refused("HAProxy write port")).pgbouncerReaches(refused("PgBouncer")));
        assertThat(problems(s)).containsExactly(
                "critical etcd_unreachable", "critical etcd_unreachable", "critical etcd_unreachable",
                "critical patroni_unreachable", "critical patroni_unreachable@pg1", "critical patroni_unreachable@pg2",
                "critical patroni_unreachable@pg3",
                "critical no_leader",
                "critical replica_not_streaming@pg1", "critical replica_not_streaming@pg2", "critical replica_not_streaming@pg3",
                "critical haproxy_write_unreachable", "critical pgbouncer_target_unreachable");
        assertThat(message(s, "no_leader")).isEqualTo("no member is leader: no Patroni names one and no PostgreSQL accepts writes"
                + " (pg_is_in_recovery() is true on every one that answers)");
        assertThat(s.leader()).isNull();
        // the live configuration is in etcd too: the file's settings stand in, and say so
        assertThat(s.dcsConfig().live()).isFalse();
        assertThat(s.dcsConfig().source()).isEqualTo("cluster file");
        assertThat(s.dcsConfig().error()).contains("connection refused");
    }

    @Test
    @Raises({"etcd_unreachable", "no_leader"})
    void a_patroni_view_from_before_the_demotion_does_not_hide_that_nobody_leads() {
        // seen on the lab with etcd frozen: one Patroni still answers from its cache and names pg1, whose PostgreSQL is demoted
        ClusterStatus s = judge(Observed.healthy().etcdDown(1, 2, 3).patroniDown("pg2").patroniDown("pg3").demoted("pg1")
                .notStreaming("pg2").notStreaming("pg3"));
        assertThat(problems(s)).containsExactly("critical etcd_unreachable", "critical etcd_unreachable", "critical etcd_unreachable",
                "critical patroni_unreachable@pg2", "critical patroni_unreachable@pg3", "critical no_leader",
                "critical replica_not_streaming@pg2", "critical replica_not_streaming@pg3");
        assertThat(message(s, "no_leader")).isEqualTo("no member is leader: Patroni names pg1 but its PostgreSQL is in recovery (demoted),"
                + " and no PostgreSQL accepts writes");
        assertThat(s.leader()).as("the header says what the problem says").isNull();
    }

    @Test
    @Raises({"etcd_unreachable", "postgres_unreachable", "no_leader"})
    void a_cached_leader_whose_postgresql_restarts_while_no_etcd_answers_is_no_leader() {
        // seen in CI with etcd frozen: Patroni demotes pg1 by restarting its PostgreSQL in recovery, and a Patroni's cache
        // still names pg1 while its PostgreSQL is down for that restart
        ClusterStatus s = judge(Observed.healthy().etcdDown(1, 2, 3).postgresDown("pg1").notStreaming("pg2").notStreaming("pg3"));
        assertThat(problems(s)).contains("critical no_leader");
        assertThat(problems(s).get(0)).isEqualTo("critical etcd_unreachable");
        assertThat(message(s, "no_leader")).contains("cached view names pg1");
        assertThat(s.leader()).isNull();
    }

    @Test
    void a_leader_whose_postgresql_is_down_while_etcd_answers_keeps_its_name() {
        // the leader key is still Patroni's word: the leader is named and its PostgreSQL is the problem
        ClusterStatus s = judge(Observed.healthy().postgresDown("pg1"));
        assertThat(problems(s)).doesNotContain("critical no_leader");
        assertThat(s.leader()).isEqualTo("pg1");
    }

    @Test
    void with_patroni_silent_and_the_leaders_postgresql_down_nobody_takes_writes_so_there_is_no_leader() {
        ClusterStatus s = judge(Observed.healthy().patroniDown("pg1").patroniDown("pg2").patroniDown("pg3").postgresDown("pg1"));
        assertThat(problems(s)).contains("critical no_leader");
        assertThat(message(s, "no_leader")).endsWith("no PostgreSQL accepts writes (pg_is_in_recovery() is true on every one that answers)");
    }

    @Test
    @Raises({"multiple_leaders", "two_writers", "haproxy_multiple_writers"})
    void two_leaders_are_named_by_patroni_then_by_postgresql_then_by_haproxy() {
        ClusterStatus s = judge(Observed.healthy().patroniLeaders("pg1", "pg2").writer("pg2").notStreaming("pg2")
                .upInWriteBackend("pg1", "pg2"));
        assertThat(problems(s)).containsExactly("critical multiple_leaders", "critical two_writers", "critical haproxy_multiple_writers");
        assertThat(message(s, "multiple_leaders")).isEqualTo("Patroni names 2 leaders: [pg1, pg2]");
        assertThat(message(s, "two_writers")).isEqualTo("pg1 and pg2 all accept writes (pg_is_in_recovery() is false on each): split brain");
        assertThat(message(s, "haproxy_multiple_writers")).isEqualTo("2 servers are UP in the write backend: [pg1, pg2]");
        assertThat(s.leader()).isNull();
    }

    @Test
    @Raises("two_writers")
    void a_replica_promoted_behind_patronis_back_is_a_second_writer() {
        ClusterStatus s = judge(Observed.healthy().writer("pg3").notStreaming("pg3").slotInactive("pg3", 0));
        assertThat(problems(s)).containsExactly("critical two_writers", "critical replica_not_streaming@pg3", "warning slot_inactive");
        assertThat(message(s, "two_writers")).startsWith("pg1 and pg3 all accept writes");
        assertThat(s.leader()).isEqualTo("pg1");
    }

    @Test
    @Raises("paused")
    void a_paused_cluster_is_a_warning() {
        ClusterStatus s = judge(Observed.healthy().paused());
        assertThat(problems(s)).containsExactly("warning paused");
        assertThat(s.paused()).isTrue();
        assertThat(s.healthy()).isFalse();
        assertThat(s.anyUnreachable()).isFalse();
    }

    // ------------------------------------------------------------------ replication

    @Test
    @Raises("replica_not_streaming")
    void a_replica_that_patroni_calls_running_but_does_not_stream() {
        ClusterStatus s = judge(Observed.healthy().notStreaming("pg2").lag("pg2", 8192));
        assertThat(problems(s)).containsExactly("critical replica_not_streaming@pg2");
        assertThat(message(s, "replica_not_streaming")).isEqualTo("pg2: Patroni calls it running but it is not streaming from pg1 (pg_stat_replication)");
        MemberStatus pg2 = s.members().get(1);
        assertThat(pg2.streaming()).isFalse();
        assertThat(pg2.lagBytes()).isEqualTo(8192); // from the two LSNs, with no pg_stat_replication row
        assertThat(pg2.lag()).isNull();
    }

    @Test
    @Raises("lag_over_threshold")
    void a_replica_further_behind_than_max_lag() {
        ClusterStatus s = judge(Observed.healthy().lag("pg3", Observed.MAX_LAG + 1));
        assertThat(problems(s)).containsExactly("warning lag_over_threshold@pg3");
        assertThat(message(s, "lag_over_threshold")).isEqualTo("pg3 is 1048577 bytes behind the leader (threshold 1048576)");
        assertThat(judge(Observed.healthy().lag("pg3", Observed.MAX_LAG)).problems()).isEmpty();
    }

    @Test
    @Raises("slot_inactive")
    void an_inactive_slot_on_the_leader_says_the_wal_it_keeps() {
        ClusterStatus s = judge(Observed.healthy().slotInactive("pg2", 16_777_216));
        assertThat(problems(s)).containsExactly("warning slot_inactive");
        assertThat(message(s, "slot_inactive")).isEqualTo("slot pg2 on pg1 is inactive and keeps 16777216 bytes of WAL");
    }

    @Test
    @Raises("pending_restart")
    void a_member_that_needs_a_restart() {
        ClusterStatus s = judge(Observed.healthy().pendingRestart("pg2").pendingRestart("pg1"));
        assertThat(problems(s)).containsExactly("warning pending_restart@pg1", "warning pending_restart@pg2");
        assertThat(s.members().get(1).patroni().pendingRestart()).isTrue();
    }

    // ------------------------------------------------------------------ HAProxy

    @Test
    @Raises({"haproxy_unreachable", "haproxy_write_unreachable", "haproxy_read_unreachable"})
    void a_stopped_haproxy_fails_its_stats_then_its_write_port_then_its_read_port() {
        ClusterStatus s = judge(Observed.healthy().haproxyStats(refused("HAProxy stats")).writePort(refused("HAProxy write port"))
                .readPort(refused("HAProxy read port")).pgbouncerReaches(refused("PgBouncer")));
        assertThat(problems(s)).containsExactly("critical haproxy_unreachable", "critical haproxy_write_unreachable",
                "critical haproxy_read_unreachable", "critical pgbouncer_target_unreachable");
        assertThat(message(s, "haproxy_write_unreachable")).isEqualTo("HAProxy's write port: could not reach HAProxy write port"
                + " within 1000 ms: connection refused");
        assertThat(s.haproxy().reachable()).isFalse();
        assertThat(s.haproxy().write()).isEmpty();
    }

    @Test
    @Raises("haproxy_auth_failed")
    void haproxy_stats_that_refuse_our_credentials() {
        ClusterStatus s = judge(Observed.healthy().haproxyStats(authFailed("HAProxy stats at 127.0.0.1:7000")));
        assertThat(problems(s)).containsExactly("critical haproxy_auth_failed");
        assertThat(message(s, "haproxy_auth_failed")).isEqualTo("HAProxy stats: authentication failed for HAProxy stats at 127.0.0.1:7000");
    }

    @Test
    @Raises("haproxy_backend_missing")
    void a_backend_the_cluster_file_names_and_haproxy_lacks_is_critical_and_not_an_empty_list() {
        ClusterStatus s = judge(Observed.healthy().backendsInHaproxy("pg_primary", "pg_replicas").backendsInFile("write", "pg_replicas"));
        assertThat(problems(s)).containsExactly("critical haproxy_backend_missing");
        assertThat(message(s, "haproxy_backend_missing")).isEqualTo("HAProxy has no backend 'write' (haproxy.write_backend in the"
                + " cluster file); its backends are: stats, pg_primary, pg_replicas");
        assertThat(s.haproxy().write()).isEmpty();
        assertThat(s.haproxy().has("write")).isFalse();
        assertThat(s.haproxy().read()).extracting(HaproxyServer::server).containsExactly("pg1", "pg2", "pg3");
    }

    @Test
    void backends_by_the_names_the_cluster_file_gives_are_judged_as_write_and_read() {
        ClusterStatus s = judge(Observed.healthy().backendsInHaproxy("pg_primary", "pg_replicas").backendsInFile("pg_primary", "pg_replicas")
                .upInWriteBackend("pg1", "pg3"));
        assertThat(problems(s)).containsExactly("critical haproxy_multiple_writers");
        assertThat(message(s, "haproxy_multiple_writers")).isEqualTo("2 servers are UP in the write backend pg_primary: [pg1, pg3]");
        assertThat(s.haproxy().writeBackend()).isEqualTo("pg_primary");
        assertThat(s.haproxy().write()).extracting(HaproxyServer::server).containsExactly("pg1", "pg2", "pg3");
    }

    @Test
    @Raises("haproxy_multiple_writers")
    void two_servers_up_in_the_write_backend() {
        ClusterStatus s = judge(Observed.healthy().upInWriteBackend("pg1", "pg3"));
        assertThat(problems(s)).containsExactly("critical haproxy_multiple_writers");
        assertThat(s.haproxy().upInWrite()).isEqualTo(2);
    }

    @Test
    @Raises("haproxy_write_unreachable")
    void a_write_port_that_reaches_nothing_explains_pgbouncer_reaching_nothing() {
        ClusterStatus s = judge(Observed.healthy().upInWriteBackend().writePort(refused("HAProxy write port"))
                .pgbouncerReaches(refused("PgBouncer")));
        assertThat(problems(s)).containsExactly("critical haproxy_write_unreachable", "critical pgbouncer_target_unreachable");
    }

    @Test
    @Raises({"haproxy_write_not_leader", "pgbouncer_not_leader"})
    void a_write_port_that_reaches_a_replica() {
        ClusterStatus s = judge(Observed.healthy().writePort(Outcome.answered("pg2")).pgbouncerReaches(Outcome.answered("pg2")));
        assertThat(problems(s)).containsExactly("critical haproxy_write_not_leader", "critical pgbouncer_not_leader");
        assertThat(message(s, "haproxy_write_not_leader")).isEqualTo("HAProxy's write port reaches pg2, not the leader pg1");
        assertThat(s.pgbouncer().reachesLeader()).isFalse();
    }

    @Test
    @Raises("haproxy_read_unreachable")
    void a_read_port_that_reaches_nothing() {
        ClusterStatus s = judge(Observed.healthy().readPort(refused("HAProxy read port")));
        assertThat(problems(s)).containsExactly("critical haproxy_read_unreachable");
        assertThat(s.anyUnreachable()).isTrue();
    }

    @Test
    @Raises("haproxy_read_reaches_leader")
    void a_read_port_that_reaches_the_leader() {
        ClusterStatus s = judge(Observed.healthy().readPort(Outcome.answered("pg1")));
        assertThat(problems(s)).containsExactly("warning haproxy_read_reaches_leader");
        assertThat(message(s, "haproxy_read_reaches_leader")).isEqualTo("HAProxy's read port reaches the leader pg1, not a replica");
    }

    @Test
    void a_one_member_cluster_does_not_ask_the_read_port() {
        ClusterStatus s = judge(Observed.healthy().readPort(Outcome.notAsked()));
        assertThat(s.problems()).isEmpty();
        assertThat(s.haproxy().readReaches()).isNull();
    }

    // ------------------------------------------------------------------ PgBouncer

    @Test
    @Raises("pgbouncer_unreachable")
    void a_stopped_pgbouncer() {
        ClusterStatus s = judge(Observed.healthy().pgbouncerConsole(refused("PgBouncer console")).pgbouncerReaches(refused("PgBouncer")));
        assertThat(problems(s)).containsExactly("critical pgbouncer_unreachable");
        assertThat(s.pgbouncer().reachable()).isFalse();
        assertThat(s.pgbouncer().pools()).isEmpty();
    }

    @Test
    @Raises("pgbouncer_auth_failed")
    void a_pgbouncer_console_that_refuses_our_credentials() {
        ClusterStatus s = judge(Observed.healthy().pgbouncerConsole(authFailed("PgBouncer console")));
        assertThat(problems(s)).containsExactly("critical pgbouncer_auth_failed");
        assertThat(s.anyAuthenticationFailed()).isTrue();
    }

    @Test
    @Raises("pgbouncer_target_unreachable")
    void a_pgbouncer_that_answers_but_reaches_no_database() {
        ClusterStatus s = judge(Observed.healthy().pgbouncerReaches(refused("PgBouncer")));
        assertThat(problems(s)).containsExactly("critical pgbouncer_target_unreachable");
        assertThat(message(s, "pgbouncer_target_unreachable")).startsWith("PgBouncer cannot reach the database: could not reach PgBouncer");
    }

    @Test
    @Raises("pgbouncer_not_leader")
    void a_pgbouncer_that_reaches_a_replica() {
        ClusterStatus s = judge(Observed.healthy().pgbouncerReaches(Outcome.answered("pg3")));
        assertThat(problems(s)).containsExactly("critical pgbouncer_not_leader");
        assertThat(message(s, "pgbouncer_not_leader")).isEqualTo("PgBouncer reaches pg3, not the leader pg1");
    }

    // ------------------------------------------------------------------ Patroni's live configuration

    @Test
    void the_live_configuration_is_reported_as_the_cluster_runs_it() {
        ClusterStatus s = judge(Observed.healthy());
        assertThat(s.problems()).isEmpty();
        ClusterStatus.DcsConfig c = s.dcsConfig();
        assertThat(c.live()).isTrue();
        assertThat(c.source()).isEqualTo("etcd");
        assertThat(List.of(c.ttl(), c.loopWait(), c.retryTimeout())).containsExactly(10, 2, 4);
        assertThat(c.maximumLagOnFailover()).isEqualTo(Observed.MAX_LAG);
        assertThat(c.parameters()).containsEntry("max_connections", "100");
        assertThat(c.defaulted()).isEmpty();
    }

    @Test
    @Raises("config_drift")
    void a_setting_the_file_sets_and_the_cluster_runs_otherwise_is_drift_naming_the_key() {
        ClusterStatus s = judge(Observed.healthy().liveConfig(new DcsConfig(10, 1, 4, Observed.MAX_LAG, false, true, true,
                java.util.Map.of("max_connections", "200"))));
        assertThat(problems(s)).containsExactly("warning config_drift", "warning config_drift");
        assertThat(s.problems().get(0).message()).isEqualTo("loop_wait: the cluster file says 2 (patroni.loop_wait), Patroni runs 1"
                + " (live DCS config)");
        assertThat(s.problems().get(1).message()).isEqualTo("postgresql.parameters.max_connections: the cluster file says 100"
                + " (postgresql.max_connections), Patroni runs 200 (live DCS config)");
        assertThat(s.dcsConfig().loopWait()).isEqualTo(1);
        assertThat(s.healthy()).as("drift judges the configuration, not the health: a drill may run").isTrue();
        assertThat(s.problems()).isNotEmpty();
        assertThat(s.anyUnreachable()).isFalse();
    }

    @Test
    @Raises("config_drift")
    void a_setting_the_dcs_does_not_hold_runs_at_patronis_default_and_drifts_from_the_file() {
        ClusterStatus s = judge(Observed.healthy().liveConfig(new DcsConfig(null, 2, 4, Observed.MAX_LAG, false, true, true, null)));
        assertThat(problems(s)).containsExactly("warning config_drift");
        assertThat(message(s, "config_drift")).isEqualTo("ttl: the cluster file says 10 (patroni.ttl), Patroni runs 30"
                + " (live DCS config, Patroni's default)");
        assertThat(s.dcsConfig().ttl()).isEqualTo(30);
        assertThat(s.dcsConfig().defaulted()).containsExactly("ttl");
    }

    @Test
    void a_setting_the_file_leaves_out_has_no_opinion_so_no_drift() {
        // the live 10/2/5 break Patroni's rule (a warning of its own) but the file set none of them
        ClusterStatus s = judge(Observed.healthy().liveConfig(new DcsConfig(10, 2, 5, 4096L, true, false, true,
                java.util.Map.of("max_connections", "300", "work_mem", "64MB")))
                .fileSets(new DcsConfig(null, null, null, null, null, null, null, java.util.Map.of("work_mem", "65536kB"))));
        assertThat(problems(s)).containsExactly("warning timing_rule");
    }

    @Test
    void a_file_parameter_the_dcs_does_not_hold_is_not_drift() {
        // Patroni keeps only cluster-wide settings in the DCS: work_mem lives in each member's own config
        ClusterStatus s = judge(Observed.healthy().fileSets(new DcsConfig(10, 2, 4, null, null, null, null,
                java.util.Map.of("work_mem", "64MB", "max_connections", "100"))));
        assertThat(s.problems()).isEmpty();
    }

    @Test
    @Raises("timing_rule")
    void live_timings_that_break_patronis_rule_are_a_warning_after_etcd_and_before_the_members() {
        ClusterStatus s = judge(Observed.healthy().etcdDown(3).patroniDown("pg3")
                .liveConfig(new DcsConfig(10, 2, 5, Observed.MAX_LAG, false, true, true, null))
                .fileSets(new DcsConfig(null, null, null, null, null, null, null, null)));
        assertThat(problems(s)).containsExactly("critical etcd_unreachable", "warning timing_rule", "critical patroni_unreachable@pg3");
        assertThat(message(s, "timing_rule")).isEqualTo("Patroni's live timings break its rule: ttl 10 is smaller than"
                + " loop_wait + 2 x retry_timeout = 2 + 2 x 5 = 12; the leader could lose its key while retrying (live DCS config)");
    }

    @Test
    @Raises("lag_over_threshold")
    void without_max_lag_the_threshold_is_maximum_lag_on_failover_as_the_cluster_runs_it() {
        ClusterStatus s = judge(Observed.healthy().noMaxLagOption().lag("pg3", 5000)
                .liveConfig(new DcsConfig(10, 2, 4, 4096L, false, true, true, null)).fileSets(Observed.LAB_TIMINGS_WITHOUT_LAG));
        assertThat(problems(s)).containsExactly("warning lag_over_threshold@pg3");
        assertThat(message(s, "lag_over_threshold")).isEqualTo("pg3 is 5000 bytes behind the leader (threshold 4096, maximum_lag_on_failover)");
    }

    @Test
    void without_the_live_configuration_the_files_maximum_lag_on_failover_counts() {
        ClusterStatus s = judge(Observed.healthy().noMaxLagOption().lag("pg3", 5000).liveConfigUnreadable(refused("etcd at x")));
        assertThat(s.problems()).isEmpty(); // 5000 bytes is under the file's 1 MB
        assertThat(s.dcsConfig().live()).isFalse();
        assertThat(s.dcsConfig().maximumLagOnFailover()).isEqualTo(Observed.MAX_LAG);
    }
}
