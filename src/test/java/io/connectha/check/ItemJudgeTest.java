package io.connectha.check;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.connectha.patroni.PatroniCluster;
import io.connectha.patroni.PatroniMember;
import io.connectha.patroni.PatroniMember.Role;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The check items' rules, one per test, on Patroni answers made by hand. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ItemJudgeTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ItemOptions DEFAULTS = new ItemOptions(1 << 20, 2, 1, 3, 2);

    static PatroniMember member(String name, Role role, String state, Integer timeline, Object lag) {
        return new PatroniMember(name, role, state, "127.0.0.1", 5432, null, timeline, lag, null, null);
    }

    static PatroniMember pending(String name, Role role) {
        return new PatroniMember(name, role, "running", "127.0.0.1", 5432, null, 4, role == Role.leader ? null : 0, true, null);
    }

    static PatroniCluster healthy() {
        return new PatroniCluster(List.of(member("pg1", Role.leader, "running", 4, null), member("pg2", Role.replica, "running", 4, 0),
                member("pg3", Role.replica, "running", 4, 120)), false, null);
    }

    static PatroniObservations.Node node(String name, String role, List<String> streaming) {
        return new PatroniObservations.Node(name, null, role, "running", 4, false, null, streaming, "3.0.2");
    }

    static Map<String, PatroniObservations.Node> nodes(PatroniObservations.Node... n) {
        Map<String, PatroniObservations.Node> m = new LinkedHashMap<>();
        for (PatroniObservations.Node x : n) {
            m.put(x.name(), x);
        }
        return m;
    }

    static PatroniObservations observe(PatroniCluster c, Map<String, PatroniObservations.Node> nodes, String config) throws Exception {
        JsonNode cfg = config == null ? null : JSON.readTree(config);
        return new PatroniObservations("lab", List.of("pg1", "pg2", "pg3"), c, nodes, cfg);
    }

    private static long perf(ItemResult r, String name, String member) {
        return r.measures().stream().filter(m -> m.name().equals(name) && java.util.Objects.equals(m.labelValue(), member))
                .findFirst().orElseThrow(() -> new AssertionError("no perfdata " + name + " " + member + " in " + r.measures())).value();
    }

    @Test
    void a_running_leader_is_ok_and_named() {
        ItemResult r = ItemJudge.leader(healthy());
        assertThat(r.status()).isEqualTo(CheckStatus.OK);
        assertThat(r.facts()).isEqualTo(new ItemFacts.Leader("pg1", "running", 4, true, false, false));
        assertThat(perf(r, "has_leader", null)).isEqualTo(1);
        assertThat(perf(r, "is_leader", null)).isEqualTo(1);
    }

    @Test
    void no_leader_or_a_leader_not_running_is_critical() {
        PatroniCluster none = new PatroniCluster(List.of(member("pg2", Role.replica, "running", 4, 0)), false, null);
        assertThat(ItemJudge.leader(none).status()).isEqualTo(CheckStatus.CRITICAL);
        assertThat(perf(ItemJudge.leader(none), "has_leader", null)).isZero();
        PatroniCluster starting = new PatroniCluster(List.of(member("pg1", Role.leader, "starting", 4, null)), false, null);
        ItemResult r = ItemJudge.leader(starting);
        assertThat(r.status()).isEqualTo(CheckStatus.CRITICAL);
        assertThat(((ItemFacts.Leader) r.facts()).leader()).isEqualTo("pg1");
    }

    @Test
    void a_standby_leader_in_archive_recovery_warns() {
        PatroniCluster c = new PatroniCluster(List.of(member("pg1", Role.standby_leader, "in archive recovery", 2, null)), false, null);
        ItemResult r = ItemJudge.leader(c);
        assertThat(r.status()).isEqualTo(CheckStatus.WARNING);
        assertThat(perf(r, "is_standby_leader_in_arc_rec", null)).isEqualTo(1);
        assertThat(perf(r, "is_standby_leader", null)).isEqualTo(1);
    }

    @Test
    void replicas_streaming_on_the_leaders_timeline_within_the_lag_are_healthy() throws Exception {
        ItemResult r = ItemJudge.replicas(observe(healthy(), nodes(node("pg1", "master", List.of("pg2", "pg3"))), null), DEFAULTS);
        assertThat(r.status()).isEqualTo(CheckStatus.OK);
        ItemFacts.Replicas f = (ItemFacts.Replicas) r.facts();
        assertThat(f.healthy()).isEqualTo(2);
        assertThat(perf(r, "lag", "pg3")).isEqualTo(120);
        assertThat(perf(r, "streaming", "pg2")).isEqualTo(1);
        assertThat(perf(r, "timeline", "pg2")).isEqualTo(4);
    }

    @Test
    void a_replica_the_leader_does_not_see_streaming_is_unhealthy_and_one_healthy_of_two_warns() throws Exception {
        ItemResult r = ItemJudge.replicas(observe(healthy(), nodes(node("pg1", "master", List.of("pg3"))), null), DEFAULTS);
        assertThat(r.status()).isEqualTo(CheckStatus.WARNING);
        ItemFacts.Replicas f = (ItemFacts.Replicas) r.facts();
        assertThat(f.replicas().get(0).problems()).containsExactly(ItemFacts.ReplicaProblem.not_streaming);
        assertThat(perf(r, "healthy_replica", null)).isEqualTo(1);
        assertThat(perf(r, "unhealthy_replica", null)).isEqualTo(1);
        assertThat(r.measures().get(0).warning()).isEqualTo("2:");
        assertThat(r.measures().get(0).critical()).isEqualTo("1:");
    }

    @Test
    void lag_over_the_maximum_another_timeline_or_a_stopped_replica_are_unhealthy_and_none_healthy_is_critical() throws Exception {
        PatroniCluster c = new PatroniCluster(List.of(member("pg1", Role.leader, "running", 5, null),
                member("pg2", Role.replica, "running", 5, 2L << 20), member("pg3", Role.replica, "stopped", 4, "unknown")), false, null);
        ItemResult r = ItemJudge.replicas(observe(c, null, null), DEFAULTS);
        assertThat(r.status()).isEqualTo(CheckStatus.CRITICAL);
        ItemFacts.Replicas f = (ItemFacts.Replicas) r.facts();
        assertThat(f.replicas().get(0).problems()).containsExactly(ItemFacts.ReplicaProblem.lag_over_max);
        assertThat(f.replicas().get(1).problems()).containsExactly(ItemFacts.ReplicaProblem.not_running,
                ItemFacts.ReplicaProblem.other_timeline, ItemFacts.ReplicaProblem.lag_unknown);
        // without the leader's /patroni, streaming is not known rather than false
        assertThat(f.replicas().get(0).streaming()).isNull();
    }

    @Test
    void members_count_healthy_ones_and_name_the_missing() throws Exception {
        PatroniCluster c = new PatroniCluster(List.of(member("pg1", Role.leader, "running", 4, null),
                member("pg2", Role.replica, "stopped", 4, "unknown")), false, null);
        ItemResult r = ItemJudge.members(observe(c, null, null), DEFAULTS);
        assertThat(r.status()).isEqualTo(CheckStatus.CRITICAL);
        ItemFacts.Members f = (ItemFacts.Members) r.facts();
        assertThat(f.healthy()).isEqualTo(1);
        assertThat(f.unhealthy()).containsEntry("pg2", "stopped");
        assertThat(f.missing()).containsExactly("pg3");
        assertThat(perf(r, "role", "replica")).isEqualTo(1);
        assertThat(perf(r, "state", "stopped")).isEqualTo(1);
        assertThat(ItemJudge.members(observe(healthy(), null, null), DEFAULTS).status()).isEqualTo(CheckStatus.OK);
    }

    @Test
    void two_healthy_members_of_three_warn() throws Exception {
        PatroniCluster c = new PatroniCluster(List.of(member("pg1", Role.leader, "running", 4, null),
                member("pg2", Role.replica, "running", 4, 0), member("pg3", Role.replica, "crashed", 4, "unknown")), false, null);
        assertThat(ItemJudge.members(observe(c, null, null), DEFAULTS).status()).isEqualTo(CheckStatus.WARNING);
    }

    @Test
    void sync_standbys_are_ok_when_synchronous_mode_is_off_and_counted_against_synchronous_node_count_when_on() throws Exception {
        assertThat(ItemJudge.syncStandbys(observe(healthy(), null, "{\"synchronous_mode\": false}")).status()).isEqualTo(CheckStatus.OK);
        PatroniCluster oneSync = new PatroniCluster(List.of(member("pg1", Role.leader, "running", 4, null),
                member("pg2", Role.sync_standby, "running", 4, 0), member("pg3", Role.replica, "running", 4, 0)), false, null);
        ItemResult two = ItemJudge.syncStandbys(observe(oneSync, null, "{\"synchronous_mode\": true, \"synchronous_node_count\": 2}"));
        assertThat(two.status()).isEqualTo(CheckStatus.WARNING);
        assertThat(two.facts()).isEqualTo(new ItemFacts.SyncStandbys("on", false, 2, List.of("pg2")));
        assertThat(two.measures().get(0).warning()).isEqualTo("2:");
        assertThat(ItemJudge.syncStandbys(observe(oneSync, null, "{\"synchronous_mode\": \"on\"}")).status()).isEqualTo(CheckStatus.OK);
        ItemResult none = ItemJudge.syncStandbys(observe(healthy(), null, "{\"synchronous_mode\": true, \"synchronous_mode_strict\": true}"));
        assertThat(none.status()).isEqualTo(CheckStatus.CRITICAL);
        assertThat(((ItemFacts.SyncStandbys) none.facts()).strict()).isTrue();
    }

    @Test
    void paused_is_critical() {
        PatroniCluster paused = new PatroniCluster(healthy().members(), true, null);
        assertThat(ItemJudge.paused(paused).status()).isEqualTo(CheckStatus.CRITICAL);
        assertThat(perf(ItemJudge.paused(paused), "is_in_maintenance", null)).isEqualTo(1);
        assertThat(ItemJudge.paused(healthy()).status()).isEqualTo(CheckStatus.OK);
    }

    @Test
    void a_scheduled_switchover_or_restart_is_critical() throws Exception {
        PatroniCluster c = new PatroniCluster(healthy().members(), false,
                new PatroniCluster.ScheduledSwitchover("2026-12-05T12:00:00+00:00", "pg1", "pg2"));
        ItemResult r = ItemJudge.scheduledAction(observe(c, nodes(new PatroniObservations.Node("pg3", null, "replica", "running", 4, false,
                "2026-12-05T13:00:00+00:00", null, "3.0.2")), null));
        assertThat(r.status()).isEqualTo(CheckStatus.CRITICAL);
        assertThat(r.facts()).isEqualTo(new ItemFacts.Scheduled(new ItemFacts.ScheduledSwitchover("2026-12-05T12:00:00+00:00", "pg1", "pg2"),
                List.of(new ItemFacts.ScheduledRestart("pg3", "2026-12-05T13:00:00+00:00"))));
        assertThat(perf(r, "scheduled_restart", null)).isEqualTo(1);
        assertThat(ItemJudge.scheduledAction(observe(healthy(), nodes(node("pg1", "master", List.of())), null)).status())
                .isEqualTo(CheckStatus.OK);
    }

    @Test
    void pending_restart_is_critical_and_falls_back_to_the_dcs_flag_for_a_member_that_did_not_answer() throws Exception {
        PatroniCluster c = new PatroniCluster(List.of(member("pg1", Role.leader, "running", 4, null), member("pg2", Role.replica, "running", 4, 0),
                pending("pg3", Role.replica)), false, null);
        PatroniObservations.Node pg1 = new PatroniObservations.Node("pg1", null, "master", "running", 4, true, null, List.of(), "3.0.2");
        ItemResult r = ItemJudge.pendingRestart(observe(c, nodes(pg1, node("pg2", "replica", null),
                PatroniObservations.Node.unanswered("pg3", "timed out")), null));
        assertThat(r.status()).isEqualTo(CheckStatus.CRITICAL);
        assertThat(r.facts()).isEqualTo(new ItemFacts.PendingRestart(List.of("pg1", "pg3"), List.of("pg3")));
        assertThat(perf(r, "pending_restart", null)).isEqualTo(2);
        assertThat(perf(r, "pending_restart", "pg2")).isZero();
        assertThat(ItemJudge.pendingRestart(observe(healthy(), nodes(node("pg1", "master", null), node("pg2", "replica", null),
                node("pg3", "replica", null)), null)).status()).isEqualTo(CheckStatus.OK);
    }

    @Test
    void the_timeline_is_recorded_on_the_first_run_warns_once_after_a_change_then_is_ok() {
        CheckState none = CheckState.none("lab");
        ItemResult first = ItemJudge.timelineChanged(new PatroniObservations("lab", List.of(), healthy(), null, null), none);
        assertThat(first.status()).isEqualTo(CheckStatus.OK);
        assertThat(((ItemFacts.TimelineChanged) first.facts()).firstRun()).isTrue();
        CheckState recorded = ItemJudge.record(List.of(CheckItem.timeline_changed), new PatroniObservations("lab", List.of(), healthy(), null, null), none);
        assertThat(recorded.timeline()).isEqualTo(4);

        PatroniCluster after = new PatroniCluster(List.of(member("pg2", Role.leader, "running", 5, null)), false, null);
        ItemResult changed = ItemJudge.timelineChanged(new PatroniObservations("lab", List.of(), after, null, null), recorded);
        assertThat(changed.status()).isEqualTo(CheckStatus.WARNING);
        assertThat(changed.facts()).isEqualTo(new ItemFacts.TimelineChanged(4, 5, "pg2", false));
        assertThat(perf(changed, "is_timeline_changed", null)).isEqualTo(1);
        assertThat(perf(changed, "timeline", null)).isEqualTo(5);
        CheckState next = ItemJudge.record(List.of(CheckItem.timeline_changed), new PatroniObservations("lab", List.of(), after, null, null), recorded);
        assertThat(ItemJudge.timelineChanged(new PatroniObservations("lab", List.of(), after, null, null), next).status()).isEqualTo(CheckStatus.OK);
    }

    @Test
    void the_timeline_is_the_one_the_leaders_own_patroni_reports_not_a_stale_cluster_view() {
        // /cluster from a member a loop behind: pg1 still leads on timeline 4; pg2's own /patroni says it leads on 5
        PatroniObservations o = new PatroniObservations("lab", List.of(), healthy(), nodes(node("pg1", "replica", null),
                new PatroniObservations.Node("pg2", null, "master", "running", 5, false, null, List.of(), "3.0.2"),
                PatroniObservations.Node.unanswered("pg3", "refused")), null);
        ItemResult r = ItemJudge.timelineChanged(o, CheckState.none("lab").withTimeline(4));
        assertThat(r.status()).isEqualTo(CheckStatus.WARNING);
        assertThat(r.facts()).isEqualTo(new ItemFacts.TimelineChanged(4, 5, "pg2", false));
    }

    @Test
    void no_timeline_at_all_is_unknown_and_records_nothing() {
        PatroniCluster empty = new PatroniCluster(List.of(member("pg1", Role.replica, "stopped", null, null)), false, null);
        CheckState before = CheckState.none("lab").withTimeline(3);
        assertThat(ItemJudge.timelineChanged(new PatroniObservations("lab", List.of(), empty, null, null), before).status()).isEqualTo(CheckStatus.UNKNOWN);
        assertThat(ItemJudge.record(List.of(CheckItem.timeline_changed), new PatroniObservations("lab", List.of(), empty, null, null), before))
                .isEqualTo(before);
    }

    @Test
    void a_config_change_warns_once_naming_each_setting_from_what_to_what() throws Exception {
        String before = "{\"loop_wait\": 10, \"ttl\": 30, \"postgresql\": {\"parameters\": {\"work_mem\": \"4MB\"}}}";
        String after = "{\"ttl\": 30, \"loop_wait\": 5, \"postgresql\": {\"parameters\": {\"work_mem\": \"4MB\", \"max_prepared_transactions\": 10}}}";
        CheckState none = CheckState.none("lab");
        PatroniObservations o1 = observe(healthy(), null, before);
        assertThat(ItemJudge.configChanged(o1, none).status()).isEqualTo(CheckStatus.OK);
        CheckState recorded = ItemJudge.record(List.of(CheckItem.config_changed), o1, none);
        assertThat(recorded.configSettings()).containsEntry("loop_wait", "10").containsEntry("postgresql.parameters.work_mem", "4MB");

        PatroniObservations o2 = observe(healthy(), null, after);
        ItemResult changed = ItemJudge.configChanged(o2, recorded);
        assertThat(changed.status()).isEqualTo(CheckStatus.WARNING);
        assertThat(((ItemFacts.ConfigChanged) changed.facts()).changes()).containsExactly(
                new ItemFacts.SettingChange("loop_wait", "10", "5"),
                new ItemFacts.SettingChange("postgresql.parameters.max_prepared_transactions", null, "10"));
        CheckState next = ItemJudge.record(List.of(CheckItem.config_changed), o2, recorded);
        assertThat(ItemJudge.configChanged(o2, next).status()).isEqualTo(CheckStatus.OK);
    }

    @Test
    void the_config_hash_ignores_the_order_patroni_writes_keys_in() throws Exception {
        assertThat(ConfigFingerprint.of(JSON.readTree("{\"a\": 1, \"b\": {\"c\": \"x\"}}")).hash())
                .isEqualTo(ConfigFingerprint.of(JSON.readTree("{\"b\": {\"c\": \"x\"}, \"a\": 1}")).hash())
                .isNotEqualTo(ConfigFingerprint.of(JSON.readTree("{\"b\": {\"c\": \"y\"}, \"a\": 1}")).hash());
    }

    @Test
    void each_item_keeps_its_own_part_of_a_shared_state() throws Exception {
        PatroniObservations o = observe(healthy(), null, "{\"ttl\": 30}");
        CheckState both = ItemJudge.record(List.of(CheckItem.timeline_changed, CheckItem.config_changed), o, CheckState.none("lab"));
        CheckState timelineOnly = ItemJudge.record(List.of(CheckItem.timeline_changed),
                new PatroniObservations("lab", List.of(), new PatroniCluster(List.of(member("pg2", Role.leader, "running", 9, null)), false, null),
                        null, null), both);
        assertThat(timelineOnly.timeline()).isEqualTo(9);
        assertThat(timelineOnly.configHash()).isEqualTo(both.configHash());
    }
}
