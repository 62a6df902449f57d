package io.connectha.render;

import io.connectha.check.CheckItem;
import io.connectha.check.CheckStatus;
import io.connectha.check.ItemFacts;
import io.connectha.check.ItemResult;
import io.connectha.check.ItemsReport;
import io.connectha.check.Measure;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code check --only}'s outputs for fixed results: the Nagios line with perfdata, Prometheus text, JSON, the table. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class CheckItemViewTest {

    private static final Instant AT = Instant.parse("2026-12-05T10:00:00Z");

    private static ItemsReport report(CheckStatus status, ItemResult... items) {
        return new ItemsReport("lab", status, List.of(items), AT, Duration.ofMillis(42));
    }

    private static ItemResult replicas() {
        ItemFacts.Replicas f = new ItemFacts.Replicas(1, 1, 0, 1 << 20, 2, 1, 5, List.of(
                new ItemFacts.Replica("pg2", "replica", "running", 5, 0L, true, false, List.of()),
                new ItemFacts.Replica("pg3", "replica", "running", 5, 3L << 20, false, false,
                        List.of(ItemFacts.ReplicaProblem.not_streaming, ItemFacts.ReplicaProblem.lag_over_max))));
        return new ItemResult(CheckItem.replicas, CheckStatus.WARNING, f, List.of(
                Measure.count("healthy_replica", 1, "2:", "1:"), Measure.count("unhealthy_replica", 1, "", ""),
                Measure.ofMember("lag", "pg2", 0, "B", null), Measure.ofMember("lag", "pg3", 3L << 20, "B", null),
                Measure.ofMember("streaming", "pg3", 0, "", 1L)));
    }

    private static ItemResult timeline() {
        return new ItemResult(CheckItem.timeline_changed, CheckStatus.WARNING, new ItemFacts.TimelineChanged(3, 4, "pg2", false), List.of(
                Measure.flag("is_timeline_changed", true, "0", ""), Measure.count("timeline", 4, "", "")));
    }

    @Test
    void the_nagios_line_says_why_and_carries_each_figure_with_its_thresholds() {
        String line = CheckItemView.nagios("HA CHECK REPLICAS", report(CheckStatus.WARNING, replicas()));
        assertThat(line).isEqualTo("HA CHECK REPLICAS WARNING - 1 of 2 replicas healthy, fewer than 2 (warning): pg2 streaming, lag 0 B; "
                + "pg3 not streaming, lag 3.0 MB over 1.0 MB | 'healthy_replica'=1;2:;1:;0; 'unhealthy_replica'=1;;;0; "
                + "'pg2_lag'=0B;;;0; 'pg3_lag'=3145728B;;;0; 'pg3_streaming'=0;;;0;1");
    }

    @Test
    void a_timeline_change_says_from_what_to_what() {
        assertThat(CheckItemView.nagios("HA CHECK TIMELINE_CHANGED", report(CheckStatus.WARNING, timeline()))).isEqualTo(
                "HA CHECK TIMELINE_CHANGED WARNING - timeline changed from 3 to 4 (leader pg2): a failover or switchover happened"
                        + " | 'is_timeline_changed'=1;0;;0;1 'timeline'=4;;;0;");
    }

    @Test
    void a_config_change_names_the_settings_and_several_items_share_one_line() {
        ItemResult config = new ItemResult(CheckItem.config_changed, CheckStatus.WARNING, new ItemFacts.ConfigChanged(
                "aaaaaaaaaaaaaaaa", "bbbbbbbbbbbbbbbb", false, List.of(new ItemFacts.SettingChange("loop_wait", "10", "5"),
                new ItemFacts.SettingChange("postgresql.parameters.work_mem", "4MB", null))), List.of(
                Measure.flag("is_configuration_changed", true, "0", "")));
        ItemResult paused = new ItemResult(CheckItem.paused, CheckStatus.OK, new ItemFacts.Paused(false), List.of(
                Measure.flag("is_in_maintenance", false, "", "0")));
        assertThat(CheckItemView.nagios(CheckItemView.service("HA CHECK", List.of(CheckItem.config_changed, CheckItem.paused)),
                report(CheckStatus.WARNING, config, paused))).isEqualTo("HA CHECK CONFIG_CHANGED,PAUSED WARNING - config_changed WARNING: "
                + "config changed: loop_wait 10 -> 5; postgresql.parameters.work_mem 4MB -> (unset); paused OK: Patroni is not paused"
                + " | 'is_configuration_changed'=1;0;;0;1 'is_in_maintenance'=0;;0;0;1");
    }

    @Test
    void members_perfdata_has_one_figure_per_role_and_state() {
        ItemResult members = new ItemResult(CheckItem.members, CheckStatus.OK, new ItemFacts.Members(3, 3, 3, 2, Map.of(), List.of(),
                Map.of("leader", 1), Map.of("in archive recovery", 1)), List.of(Measure.labelled("role", "role", "leader", 1),
                Measure.labelled("state", "state", "in archive recovery", 1)));
        assertThat(CheckItemView.nagios("HA CHECK MEMBERS", report(CheckStatus.OK, members)))
                .endsWith("| 'role_leader'=1;;;0; 'state_in_archive_recovery'=1;;;0;");
        assertThat(CheckItemView.prometheus(report(CheckStatus.OK, members)))
                .contains("connect_check_members_state{cluster=\"lab\",state=\"in archive recovery\"} 1\n");
    }

    @Test
    void prometheus_text_has_help_and_type_once_per_metric_and_the_state_of_each_item() {
        assertThat(CheckItemView.prometheus(report(CheckStatus.WARNING, replicas(), timeline()))).isEqualTo("""
                # HELP connect_check_status The item's Nagios state: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN.
                # TYPE connect_check_status gauge
                connect_check_status{cluster="lab",item="replicas"} 1
                connect_check_status{cluster="lab",item="timeline_changed"} 1
                # HELP connect_check_replicas_healthy_replica Replicas running, streaming, on the leader's timeline and within the lag maximum.
                # TYPE connect_check_replicas_healthy_replica gauge
                connect_check_replicas_healthy_replica{cluster="lab"} 1
                # HELP connect_check_replicas_unhealthy_replica Replicas that are not healthy.
                # TYPE connect_check_replicas_unhealthy_replica gauge
                connect_check_replicas_unhealthy_replica{cluster="lab"} 1
                # HELP connect_check_replicas_lag_bytes The replica's lag in bytes, as Patroni reports it.
                # TYPE connect_check_replicas_lag_bytes gauge
                connect_check_replicas_lag_bytes{cluster="lab",member="pg2"} 0
                connect_check_replicas_lag_bytes{cluster="lab",member="pg3"} 3145728
                # HELP connect_check_replicas_streaming 1 when the leader's pg_stat_replication shows the replica streaming, else 0.
                # TYPE connect_check_replicas_streaming gauge
                connect_check_replicas_streaming{cluster="lab",member="pg3"} 0
                # HELP connect_check_timeline_changed_is_timeline_changed 1 when the timeline changed since the last run, else 0.
                # TYPE connect_check_timeline_changed_is_timeline_changed gauge
                connect_check_timeline_changed_is_timeline_changed{cluster="lab"} 1
                # HELP connect_check_timeline_changed_timeline The leader's timeline.
                # TYPE connect_check_timeline_changed_timeline gauge
                connect_check_timeline_changed_timeline{cluster="lab"} 4
                # HELP connect_check_duration_seconds How long the check took.
                # TYPE connect_check_duration_seconds gauge
                connect_check_duration_seconds{cluster="lab"} 0.042
                # HELP connect_check_timestamp_seconds When the check ran, in seconds since the epoch.
                # TYPE connect_check_timestamp_seconds gauge
                connect_check_timestamp_seconds{cluster="lab"} 1796464800
                """);
    }

    @Test
    void json_has_the_facts_the_summary_and_the_perfdata_of_each_item() {
        StringWriter out = new StringWriter();
        Renderer.print(new PrintWriter(out), OutputFormat.json, CheckItemView.json(report(CheckStatus.WARNING, timeline())), w -> { });
        assertThat(out.toString()).contains("\"status\" : \"WARNING\"", "\"item\" : \"timeline_changed\"", "\"previous\" : 3", "\"current\" : 4",
                "\"summary\" : \"timeline changed from 3 to 4 (leader pg2): a failover or switchover happened\"",
                "\"label\" : \"is_timeline_changed\"", "\"value\" : 1", "\"took\" : 0.042");
    }

    @Test
    void replicas_json_keeps_bytes_as_numbers_and_problems_as_codes() {
        StringWriter out = new StringWriter();
        Renderer.print(new PrintWriter(out), OutputFormat.json, CheckItemView.json(report(CheckStatus.WARNING, replicas())), w -> { });
        assertThat(out.toString()).contains("\"lag_bytes\" : 3145728", "\"problems\" : [ \"not_streaming\", \"lag_over_max\" ]",
                "\"max_lag_bytes\" : 1048576", "\"label\" : \"pg3_lag\"", "\"member\" : \"pg3\"", "\"unit\" : \"B\"");
    }

    @Test
    void the_table_has_one_row_per_item() {
        StringWriter out = new StringWriter();
        CheckItemView.table(new PrintWriter(out, true), report(CheckStatus.WARNING, timeline()));
        assertThat(out.toString()).startsWith("Check of lab: WARNING\n").contains("timeline_changed  WARNING  timeline changed from 3 to 4");
    }
}
