package io.connectha.integration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.connectha.cluster.MemberSpec;
import io.connectha.net.Http;
import io.connectha.patroni.PatroniClient;
import io.connectha.patroni.PatroniCluster;
import io.connectha.patroni.PatroniMember;
import io.connectha.patroni.PatroniNode;
import io.connectha.process.ProcessController;
import io.connectha.support.CommandRun;
import io.connectha.support.Health;
import io.connectha.support.LabExtension;
import io.connectha.support.LabExtension.RunningLab;
import io.connectha.support.LabSql;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The day-2 patroni commands against the real lab, each judged by its effect: PostgreSQL's start
 * time for restart, Patroni's scheduled actions for flush, a member's tags for reload, the servers'
 * own version numbers for version. Every test leaves the lab as it found it.
 */
@Tag("integration")
@ExtendWith(LabExtension.class)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class PatroniDayTwoTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static CommandRun patroni(RunningLab lab, String... args) {
        List<String> all = new ArrayList<>(List.of("ha", "-c", lab.clusterFile().toString(), "patroni"));
        all.addAll(List.of(args));
        // the suite's machine is busy: loopback connects have taken over a second there
        all.addAll(List.of("--connect-timeout", "3s", "--read-timeout", "5s"));
        return CommandRun.of(all.toArray(String[]::new));
    }

    private static JsonNode json(CommandRun run) throws Exception {
        assertThat(run.out()).as(run.err()).startsWith("{");
        return JSON.readTree(run.out());
    }

    private static Map<String, PatroniNode> nodes(RunningLab lab) {
        Map<String, PatroniNode> nodes = new LinkedHashMap<>();
        try (Http http = new Http(Duration.ofSeconds(2), Duration.ofSeconds(3))) {
            PatroniClient client = new PatroniClient(http);
            for (MemberSpec m : lab.cluster().spec().members()) {
                nodes.put(m.name(), PatroniNode.fromJson(m.name(), client.patroni(m)));
            }
        }
        return nodes;
    }

    private static PatroniCluster view(RunningLab lab) {
        try (Http http = new Http(Duration.ofSeconds(2), Duration.ofSeconds(3))) {
            return new PatroniClient(http).cluster(lab.cluster().spec().members().get(0));
        }
    }

    private static void editConfig(RunningLab lab, String patch) {
        try (Http http = new Http(Duration.ofSeconds(2), Duration.ofSeconds(5))) {
            PatroniClient.authenticated(http, lab.cluster().spec(), lab.secrets()).editConfig(lab.cluster().spec().members().get(0), patch);
        }
    }

    private static void awaitPending(RunningLab lab, boolean pending) {
        ProcessController.awaitReady("every member's pending restart " + pending, Duration.ofSeconds(30), Duration.ofMillis(500),
                () -> nodes(lab).values().stream().allMatch(n -> n.pendingRestart() == pending));
    }

    @Test
    void restart_pending_restarts_only_what_needs_it_replicas_first_each_back_before_the_next(RunningLab lab) throws Exception {
        String leader = Health.awaitHealthy(lab, Duration.ofSeconds(90)).leader();
        String was = LabSql.text(lab, leader, "postgres", "SHOW max_prepared_transactions");
        String changed = "0".equals(was) ? "3" : "0";
        editConfig(lab, "{\"postgresql\":{\"parameters\":{\"max_prepared_transactions\":" + changed + "}}}");
        try {
            awaitPending(lab, true);
            Map<String, PatroniNode> before = nodes(lab);

            CommandRun dry = patroni(lab, "restart", "--pending", "--role", "replica", "--dry-run", "-o", "json");
            assertThat(dry.exitCode()).as(dry.err()).isZero();
            JsonNode planned = json(dry).path("members");
            assertThat(planned).hasSize(2);
            planned.forEach(m -> {
                assertThat(m.path("role").asText()).isEqualTo("replica");
                assertThat(m.path("action").asText()).isEqualTo("would_restart");
            });
            assertThat(nodes(lab)).allSatisfy((name, n) -> assertThat(n.postmasterStart()).isEqualTo(before.get(name).postmasterStart()));

            CommandRun run = patroni(lab, "restart", "--pending", "--yes", "-o", "json");
            assertThat(run.exitCode()).as(run.err()).isZero();
            JsonNode members = json(run).path("members");
            assertThat(members).hasSize(3);
            assertThat(members.get(2).path("member").asText()).as("the leader goes last").isEqualTo(leader);
            assertThat(json(run).path("leader_first_because").isNull()).as("a higher value: replicas first").isTrue();
            members.forEach(m -> assertThat(m.path("action").asText()).isEqualTo("restarted"));
            assertThat(run.err()).contains("is back and streams", "is back and accepts writes");

            Map<String, PatroniNode> after = nodes(lab);
            for (String name : after.keySet()) {
                assertThat(after.get(name).postmasterStart()).as(name + " restarted").isAfter(before.get(name).postmasterStart());
                assertThat(after.get(name).pendingRestart()).as(name + " no longer pending").isFalse();
            }
            after.forEach((name, n) -> {
                if (!name.equals(leader)) {
                    assertThat(n.postmasterStart()).as("replica " + name + " before the leader").isBefore(after.get(leader).postmasterStart());
                }
            });
            assertThat(LabSql.text(lab, leader, "postgres", "SHOW max_prepared_transactions")).isEqualTo(changed);
            assertThat(view(lab).leader().map(PatroniMember::name)).contains(leader);
            Health.awaitHealthy(lab, Duration.ofSeconds(60));

            // safe to run twice: nothing is pending, nothing restarts
            CommandRun again = patroni(lab, "restart", "--pending", "--yes", "-o", "json");
            assertThat(again.exitCode()).as(again.err()).isZero();
            json(again).path("members").forEach(m -> assertThat(m.path("action").asText()).isEqualTo("skipped"));
            assertThat(nodes(lab)).allSatisfy((name, n) -> assertThat(n.postmasterStart()).isEqualTo(after.get(name).postmasterStart()));
        } finally {
            editConfig(lab, "{\"postgresql\":{\"parameters\":{\"max_prepared_transactions\":" + ("0".equals(was) ? "null" : was) + "}}}");
            awaitPending(lab, true);
            CommandRun restore = patroni(lab, "restart", "--pending", "--yes", "-o", "json");
            assertThat(restore.exitCode()).as(restore.out() + restore.err()).isZero();
            if ("0".equals(was)) {
                // a lower max_prepared_transactions: a replica may not run below its primary, so the leader goes first
                JsonNode r = json(restore);
                assertThat(r.path("leader_first_because").asText()).startsWith("max_prepared_transactions 3 -> 0");
                assertThat(r.path("members").get(0).path("member").asText()).isEqualTo(leader);
            }
            Health.awaitHealthy(lab, Duration.ofSeconds(90));
        }
        assertThat(LabSql.text(lab, leader, "postgres", "SHOW max_prepared_transactions")).isEqualTo(was);
    }

    @Test
    void a_scheduled_restart_and_a_scheduled_switchover_are_flushed_and_flushing_twice_is_harmless(RunningLab lab) throws Exception {
        String leader = Health.awaitHealthy(lab, Duration.ofSeconds(90)).leader();
        String replica = lab.cluster().spec().members().stream().map(MemberSpec::name).filter(n -> !n.equals(leader)).findFirst().orElseThrow();
        String later = OffsetDateTime.now(ZoneOffset.UTC).plusHours(6).withNano(0).toString();
        try {
            CommandRun schedule = patroni(lab, "restart", replica, "--scheduled", later, "--yes", "-o", "json");
            assertThat(schedule.exitCode()).as(schedule.err()).isZero();
            assertThat(json(schedule).path("member").asText()).isEqualTo(replica);
            assertThat(json(schedule).path("members").get(0).path("action").asText()).isEqualTo("scheduled");
            assertThat(nodes(lab).get(replica).scheduledRestart()).isNotNull();

            CommandRun dry = patroni(lab, "flush", "restart", "--dry-run", "-o", "json");
            assertThat(dry.exitCode()).as(dry.err()).isZero();
            assertThat(dry.out()).contains("\"would_cancel\"");
            assertThat(nodes(lab).get(replica).scheduledRestart()).as("a dry run cancels nothing").isNotNull();

            CommandRun flush = patroni(lab, "flush", "restart", "-o", "json");
            assertThat(flush.exitCode()).as(flush.err()).isZero();
            assertThat(flush.out()).contains("\"cancelled\"");
            assertThat(nodes(lab).values()).allSatisfy(n -> assertThat(n.scheduledRestart()).isNull());
            CommandRun twice = patroni(lab, "flush", "restart", "-o", "json");
            assertThat(twice.exitCode()).isZero();
            assertThat(twice.out()).doesNotContain("\"cancelled\"");

            CommandRun switchover = patroni(lab, "switchover", "--scheduled", later, "--yes");
            assertThat(switchover.exitCode()).as(switchover.err()).isZero();
            assertThat(view(lab).scheduledSwitchover()).isNotNull();
            CommandRun cancel = patroni(lab, "flush", "switchover", "-o", "json");
            assertThat(cancel.exitCode()).as(cancel.err()).isZero();
            assertThat(cancel.out()).contains("\"cancelled\"");
            assertThat(view(lab).scheduledSwitchover()).isNull();
            assertThat(patroni(lab, "flush", "switchover").out()).contains("nothing scheduled");
        } finally {
            patroni(lab, "flush", "restart");
            patroni(lab, "flush", "switchover");
        }
        assertThat(view(lab).leader().map(PatroniMember::name)).contains(leader);
    }

    @Test
    void reload_makes_patroni_read_its_changed_file(RunningLab lab) throws Exception {
        Health.awaitHealthy(lab, Duration.ofSeconds(90));
        String member = lab.cluster().spec().members().get(0).name();
        Path file = lab.dir().resolve("config/patroni/" + member + ".yml");
        String original = Files.readString(file);
        assertThat(original).contains("\ntags:\n");
        try {
            Files.writeString(file, original.replace("\ntags:\n", "\ntags:\n  reload_probe: day-two\n"));
            CommandRun reload = patroni(lab, "reload", member, "--yes", "-o", "json");
            assertThat(reload.exitCode()).as(reload.err()).isZero();
            assertThat(json(reload).path("members").get(0).path("outcome").asText()).isEqualTo("reloaded");
            ProcessController.awaitReady("the new tag in /cluster", Duration.ofSeconds(20), Duration.ofMillis(300),
                    () -> tag(lab, member) != null);
            assertThat(tag(lab, member)).isEqualTo("day-two");
        } finally {
            Files.writeString(file, original);
            patroni(lab, "reload", member, "--yes");
        }
        ProcessController.awaitReady("the tag gone from /cluster", Duration.ofSeconds(20), Duration.ofMillis(300),
                () -> tag(lab, member) == null);
    }

    private static Object tag(RunningLab lab, String member) {
        PatroniMember m = view(lab).members().stream().filter(x -> x.name().equals(member)).findFirst().orElseThrow();
        return m.tags() == null ? null : m.tags().get("reload_probe");
    }

    @Test
    void version_reports_what_each_member_runs(RunningLab lab) throws Exception {
        Health.awaitHealthy(lab, Duration.ofSeconds(90));
        Process p = new ProcessBuilder("patroni", "--version").redirectErrorStream(true).start();
        String installed = new String(p.getInputStream().readAllBytes()).strip().replaceAll(".* ", "");
        CommandRun run = patroni(lab, "version", "-o", "json");
        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode v = json(run);
        assertThat(v.path("members")).hasSize(lab.cluster().spec().members().size());
        for (JsonNode m : v.path("members")) {
            String name = m.path("member").asText();
            assertThat(m.path("patroni_version").asText()).isEqualTo(installed);
            assertThat(m.path("server_version").asText()).isEqualTo(LabSql.text(lab, name, "postgres", "SHOW server_version_num"));
            assertThat(m.path("postgres_version").asText()).startsWith("15.");
        }
        assertThat(v.path("mixed").asBoolean()).isFalse();
        CommandRun table = patroni(lab, "version");
        assertThat(table.out()).contains("PATRONI", "POSTGRESQL", installed);
    }

}
