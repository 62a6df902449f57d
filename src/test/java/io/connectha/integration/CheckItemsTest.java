package io.connectha.integration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.connectha.cluster.MemberSpec;
import io.connectha.net.Http;
import io.connectha.patroni.PatroniClient;
import io.connectha.process.ProcessController;
import io.connectha.status.ClusterStatus;
import io.connectha.support.CommandRun;
import io.connectha.support.Health;
import io.connectha.support.LabExtension;
import io.connectha.support.LabExtension.RunningLab;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code check --only ITEM} on the real lab: each item sees the thing it is about (a pause, a switchover,
 * a DCS config change, a setting that needs a restart, a scheduled restart), and every test puts the lab back.
 */
@Tag("integration")
@ExtendWith(LabExtension.class)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class CheckItemsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static CommandRun ha(RunningLab lab, String... args) {
        List<String> all = new ArrayList<>(List.of("ha", "-c", lab.clusterFile().toString()));
        all.addAll(List.of(args));
        return CommandRun.of(all.toArray(String[]::new));
    }

    private static CommandRun only(RunningLab lab, String item, String... more) {
        List<String> all = new ArrayList<>(List.of("check", "--only", item, "-o", "nagios"));
        all.addAll(List.of(more));
        return ha(lab, all.toArray(String[]::new));
    }

    private static PatroniClient writer(RunningLab lab, Http http) {
        return PatroniClient.authenticated(http, lab.cluster().spec(), lab.secrets());
    }

    private static void editConfig(RunningLab lab, String patch) {
        try (Http http = new Http(Duration.ofSeconds(1), Duration.ofSeconds(5))) {
            writer(lab, http).editConfig(lab.cluster().spec().members().get(0), patch);
        }
    }

    private static JsonNode config(RunningLab lab) {
        try (Http http = new Http(Duration.ofSeconds(1), Duration.ofSeconds(5))) {
            return new PatroniClient(http).config(lab.cluster().spec().members().get(0));
        }
    }

    /** Each Patroni serves /config from its own view of the DCS, up to a loop behind: until every member's says so. */
    private static void awaitConfig(RunningLab lab, String what, java.util.function.Predicate<JsonNode> holds) {
        ProcessController.awaitReady(what + " in every member's /config", Duration.ofSeconds(30), Duration.ofMillis(300), () -> {
            try (Http http = new Http(Duration.ofSeconds(1), Duration.ofSeconds(5))) {
                PatroniClient reader = new PatroniClient(http);
                return lab.cluster().spec().members().stream().allMatch(m -> holds.test(reader.config(m)));
            }
        });
    }

    private static CommandRun awaitExit(RunningLab lab, int code, String item) {
        CommandRun[] last = new CommandRun[1];
        try {
            ProcessController.awaitReady("check --only " + item + " exit " + code, Duration.ofSeconds(30), Duration.ofMillis(500), () -> {
                last[0] = only(lab, item);
                return last[0].exitCode() == code;
            });
        } catch (RuntimeException e) {
            throw new AssertionError(e.getMessage() + "; last: " + last[0].out(), e);
        }
        return last[0];
    }

    @Test
    void leader_is_ok_naming_the_leader_in_nagios_and_prometheus_and_every_item_is_ok_on_a_healthy_lab(RunningLab lab, @TempDir Path dir)
            throws Exception {
        ClusterStatus s = Health.awaitHealthy(lab, Duration.ofSeconds(90));
        CommandRun leader = only(lab, "leader");
        assertThat(leader.exitCode()).as(leader.out()).isZero();
        assertThat(leader.out()).startsWith("HA CHECK LEADER OK - leader " + s.leader() + " running on timeline ")
                .contains("| 'has_leader'=1;;1:;0;1 ", "'is_leader'=1;;;0;1");
        assertThat(leader.out().lines()).hasSize(1);

        CommandRun replicas = only(lab, "replicas");
        assertThat(replicas.exitCode()).as(replicas.out()).isZero();
        assertThat(replicas.out()).startsWith("HA CHECK REPLICAS OK - 2 of 2 replicas healthy: ").contains("'healthy_replica'=2;2:;1:;0;");
        for (String r : s.members().stream().filter(m -> !m.isLeader()).map(io.connectha.status.MemberStatus::name).toList()) {
            assertThat(replicas.out()).contains("'" + r + "_streaming'=1;;;0;1", "'" + r + "_lag'=");
        }

        Path prom = dir.resolve("check.prom");
        CommandRun all = ha(lab, "check", "--only", "leader,replicas,members,sync_standbys,paused,scheduled_action,pending_restart",
                "-o", "prometheus");
        assertThat(all.exitCode()).as(all.out()).isZero();
        assertThat(all.out()).contains("# TYPE connect_check_leader_has_leader gauge", "connect_check_leader_has_leader{cluster=\"lab\"} 1",
                "connect_check_members_healthy_members{cluster=\"lab\"} 3", "connect_check_paused_is_in_maintenance{cluster=\"lab\"} 0",
                "connect_check_status{cluster=\"lab\",item=\"pending_restart\"} 0");
        Files.writeString(prom, all.out());
        ProcessController.Result promtool = new ProcessController().run(ProcessController.ProcessSpec.of("promtool",
                dir.resolve("promtool.log"), false, "sh", "-c", "promtool check metrics < " + prom), Duration.ofSeconds(30));
        assertThat(promtool.exitCode()).as(promtool.output()).isZero();

        JsonNode json = JSON.readTree(ha(lab, "check", "--only", "members", "-o", "json").out());
        assertThat(json.path("items").path(0).path("facts").path("healthy").asInt()).isEqualTo(3);
        assertThat(json.path("items").path(0).path("facts").path("roles").path("leader").asInt()).isEqualTo(1);
    }

    @Test
    void a_stopped_replica_makes_replicas_and_members_warn_naming_it(RunningLab lab) {
        ClusterStatus s = Health.awaitHealthy(lab, Duration.ofSeconds(90));
        String replica = s.members().stream().filter(m -> !m.isLeader()).findFirst().orElseThrow().name();
        try {
            lab.lab().stopProcess("patroni-" + replica, false);
            // the leader's pg_stat_replication loses it at once; the DCS keeps its member key until the ttl
            CommandRun replicas = awaitExit(lab, 1, "replicas");
            assertThat(replicas.out()).startsWith("HA CHECK REPLICAS WARNING - 1 of 2 replicas healthy, fewer than 2 (warning): ")
                    .contains(replica + " not").contains("'healthy_replica'=1;2:;1:;0; 'unhealthy_replica'=1;;;0;");
            CommandRun members = awaitExit(lab, 1, "members");
            assertThat(members.out()).startsWith("HA CHECK MEMBERS WARNING - 2 of ").contains(replica, "'healthy_members'=2;3:;2:;0;");
        } finally {
            lab.lab().startProcess("patroni-" + replica);
        }
        Health.awaitHealthy(lab, Duration.ofSeconds(90));
        assertThat(only(lab, "replicas,members").exitCode()).isZero();
    }

    @Test
    void paused_is_critical_while_patroni_is_paused_and_ok_after_resume(RunningLab lab) {
        Health.awaitHealthy(lab, Duration.ofSeconds(90));
        try {
            CommandRun pause = ha(lab, "patroni", "pause");
            assertThat(pause.exitCode()).as(pause.err()).isZero();
            CommandRun paused = only(lab, "paused");
            assertThat(paused.exitCode()).as(paused.out()).isEqualTo(2);
            assertThat(paused.out()).isEqualTo("HA CHECK PAUSED CRITICAL - Patroni is paused (maintenance mode): it fails nothing over"
                    + " | 'is_in_maintenance'=1;;0;0;1\n");
        } finally {
            Health.setPause(lab, false);
        }
        CommandRun resumed = only(lab, "paused");
        assertThat(resumed.exitCode()).as(resumed.out()).isZero();
        assertThat(resumed.out()).startsWith("HA CHECK PAUSED OK - Patroni is not paused | 'is_in_maintenance'=0;");
    }

    @Test
    void timeline_changed_records_warns_once_after_a_switchover_naming_old_and_new_then_is_ok(RunningLab lab, @TempDir Path dir)
            throws Exception {
        ClusterStatus before = Health.awaitHealthy(lab, Duration.ofSeconds(90));
        Path state = dir.resolve("nagios/timeline.state");
        CommandRun missing = only(lab, "timeline_changed");
        assertThat(missing.exitCode()).isEqualTo(3);
        assertThat(missing.out()).isEqualTo("HA CHECK TIMELINE_CHANGED UNKNOWN - --only timeline_changed compares with the last run: "
                + "give --state-file PATH\n");

        CommandRun first = only(lab, "timeline_changed", "--state-file", state.toString());
        assertThat(first.exitCode()).as(first.out()).isZero();
        int timeline = JSON.readTree(Files.readString(state)).path("timeline").path("value").asInt();
        assertThat(first.out()).startsWith("HA CHECK TIMELINE_CHANGED OK - timeline " + timeline + " (leader " + before.leader() + ") recorded: first run");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(state))).isEqualTo("rw-------");

        String candidate = before.members().stream().filter(m -> !m.isLeader()).findFirst().orElseThrow().name();
        CommandRun switchover = ha(lab, "patroni", "switchover", "--candidate", candidate, "--yes");
        assertThat(switchover.exitCode()).as(switchover.out() + switchover.err()).isZero();
        try {
            Health.awaitHealthy(lab, Duration.ofSeconds(90));
            CommandRun changed = only(lab, "timeline_changed", "--state-file", state.toString());
            assertThat(changed.exitCode()).as(changed.out()).isEqualTo(1);
            assertThat(changed.out()).startsWith("HA CHECK TIMELINE_CHANGED WARNING - timeline changed from " + timeline + " to " + (timeline + 1)
                    + " (leader " + candidate + ")").contains("'is_timeline_changed'=1;0;;0;1 'timeline'=" + (timeline + 1) + ";");
            assertThat(JSON.readTree(Files.readString(state)).path("timeline").path("value").asInt()).isEqualTo(timeline + 1);
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(state))).isEqualTo("rw-------");

            CommandRun after = only(lab, "timeline_changed", "--state-file", state.toString());
            assertThat(after.exitCode()).as(after.out()).isZero();
            assertThat(after.out()).startsWith("HA CHECK TIMELINE_CHANGED OK - timeline still " + (timeline + 1));
        } finally {
            Health.awaitHealthy(lab, Duration.ofSeconds(90));
        }
    }

    @Test
    void config_changed_warns_once_naming_the_setting_after_a_patch_of_the_dcs_config(RunningLab lab, @TempDir Path dir) throws Exception {
        Health.awaitHealthy(lab, Duration.ofSeconds(90));
        Path state = dir.resolve("config.state");
        long lag = config(lab).path("maximum_lag_on_failover").asLong();
        assertThat(only(lab, "config_changed", "--state-file", state.toString()).out()).startsWith("HA CHECK CONFIG_CHANGED OK - DCS config recorded");
        try {
            editConfig(lab, "{\"maximum_lag_on_failover\": " + (lag * 2) + "}");
            awaitConfig(lab, "maximum_lag_on_failover " + (lag * 2), c -> c.path("maximum_lag_on_failover").asLong() == lag * 2);
            CommandRun changed = only(lab, "config_changed", "--state-file", state.toString());
            assertThat(changed.exitCode()).as(changed.out()).isEqualTo(1);
            assertThat(changed.out()).isEqualTo("HA CHECK CONFIG_CHANGED WARNING - config changed: maximum_lag_on_failover " + lag + " -> " + (lag * 2)
                    + " | 'is_configuration_changed'=1;0;;0;1 'changed_settings'=1;;;0;\n");
            assertThat(JSON.readTree(Files.readString(state)).path("config").path("settings").path("maximum_lag_on_failover").asText())
                    .isEqualTo(Long.toString(lag * 2));
            CommandRun after = only(lab, "config_changed", "--state-file", state.toString());
            assertThat(after.exitCode()).as(after.out()).isZero();
            assertThat(after.out()).startsWith("HA CHECK CONFIG_CHANGED OK - DCS config unchanged");
        } finally {
            editConfig(lab, "{\"maximum_lag_on_failover\": " + lag + "}");
        }
        awaitConfig(lab, "maximum_lag_on_failover back to " + lag, c -> c.path("maximum_lag_on_failover").asLong() == lag);
    }

    @Test
    void pending_restart_names_every_member_after_a_postmaster_setting_changes_and_clears_when_it_is_put_back(RunningLab lab) {
        Health.awaitHealthy(lab, Duration.ofSeconds(90));
        assertThat(config(lab).path("postgresql").path("parameters").has("max_prepared_transactions")).isFalse();
        try {
            editConfig(lab, "{\"postgresql\": {\"parameters\": {\"max_prepared_transactions\": 10}}}");
            List<String> members = lab.cluster().spec().members().stream().map(MemberSpec::name).toList();
            // Patroni applies the change member by member, within a loop; once all three have it the line names them all
            ProcessController.awaitReady("every member pending restart", Duration.ofSeconds(30), Duration.ofMillis(500),
                    () -> only(lab, "pending_restart").out().startsWith("HA CHECK PENDING_RESTART CRITICAL - " + String.join(", ", members) + " pending restart"));
            CommandRun pending = only(lab, "pending_restart");
            assertThat(pending.out()).contains("'pending_restart'=3;;0;0;");
            for (String m : members) {
                assertThat(pending.out()).contains("'" + m + "_pending_restart'=1;;;0;1");
            }
        } finally {
            // back to the value PostgreSQL runs with: the flag clears without a restart
            editConfig(lab, "{\"postgresql\": {\"parameters\": {\"max_prepared_transactions\": null}}}");
        }
        CommandRun clear = awaitExit(lab, 0, "pending_restart");
        assertThat(clear.out()).startsWith("HA CHECK PENDING_RESTART OK - no member pending restart | 'pending_restart'=0;;0;0;");
    }

    @Test
    void sync_standbys_counts_patronis_synchronous_standbys_against_synchronous_node_count(RunningLab lab) {
        Health.awaitHealthy(lab, Duration.ofSeconds(90));
        CommandRun off = only(lab, "sync_standbys");
        assertThat(off.exitCode()).as(off.out()).isZero();
        assertThat(off.out()).startsWith("HA CHECK SYNC_STANDBYS OK - synchronous_mode is off: no synchronous standby expected");
        try {
            editConfig(lab, "{\"synchronous_mode\": true}");
            ProcessController.awaitReady("a synchronous standby", Duration.ofSeconds(30), Duration.ofMillis(500),
                    () -> only(lab, "sync_standbys").out().startsWith("HA CHECK SYNC_STANDBYS OK - 1 synchronous standby ("));
            CommandRun on = only(lab, "sync_standbys");
            assertThat(on.out()).contains("of synchronous_node_count 1 (synchronous_mode on) | 'sync_standbys'=1;1:;1:;0; 'expected_sync_standbys'=1;");
            // more than there are replicas: Patroni makes both synchronous, and two of three is a warning
            editConfig(lab, "{\"synchronous_node_count\": 3}");
            CommandRun fewer = awaitExit(lab, 1, "sync_standbys");
            assertThat(fewer.out()).startsWith("HA CHECK SYNC_STANDBYS WARNING - ").contains("of synchronous_node_count 3", "'expected_sync_standbys'=3;");
        } finally {
            editConfig(lab, "{\"synchronous_mode\": false, \"synchronous_node_count\": null}");
            awaitConfig(lab, "synchronous_mode off", c -> !c.path("synchronous_mode").asBoolean(false) && !c.has("synchronous_node_count"));
        }
        assertThat(awaitExit(lab, 0, "sync_standbys").out()).startsWith("HA CHECK SYNC_STANDBYS OK - synchronous_mode is off");
        Health.awaitHealthy(lab, Duration.ofSeconds(90));
    }

    @Test
    void a_scheduled_restart_is_critical_until_it_is_deleted(RunningLab lab) throws Exception {
        ClusterStatus s = Health.awaitHealthy(lab, Duration.ofSeconds(90));
        MemberSpec replica = lab.cluster().spec().member(s.members().stream().filter(m -> !m.isLeader()).findFirst().orElseThrow().name())
                .orElseThrow();
        String at = java.time.OffsetDateTime.now(java.time.ZoneOffset.UTC).plusHours(2).withNano(0).toString();
        java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient();
        String auth = "Basic " + java.util.Base64.getEncoder().encodeToString((lab.cluster().spec().patroni().restUser() + ":"
                + lab.secrets().password(io.connectha.cluster.SecretName.rest_api)).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        java.net.URI restart = java.net.URI.create("http://" + replica.restAddress() + "/restart");
        var scheduled = client.send(java.net.http.HttpRequest.newBuilder(restart).header("Authorization", auth)
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"schedule\": \"" + at + "\"}")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(scheduled.statusCode()).as(scheduled.body()).isEqualTo(202);
        try {
            CommandRun run = only(lab, "scheduled_action");
            assertThat(run.exitCode()).as(run.out()).isEqualTo(2);
            assertThat(run.out()).startsWith("HA CHECK SCHEDULED_ACTION CRITICAL - restart of " + replica.name() + " scheduled at ")
                    .contains("'has_scheduled_actions'=1;;0;0;1 'scheduled_switchover'=0;;;0;1 'scheduled_restart'=1;;;0;");
        } finally {
            client.send(java.net.http.HttpRequest.newBuilder(restart).header("Authorization", auth).DELETE().build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
        }
        assertThat(only(lab, "scheduled_action").out()).startsWith("HA CHECK SCHEDULED_ACTION OK - no scheduled switchover or restart");
    }
}
