package io.connectha.integration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.connectha.cli.ExitCodes;
import io.connectha.cluster.ClusterSpec;
import io.connectha.status.ClusterStatus;
import io.connectha.support.CommandRun;
import io.connectha.support.Health;
import io.connectha.support.LabExtension;
import io.connectha.support.LabExtension.RunningLab;
import io.connectha.support.TestClusters;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * `connect ha status` on the real lab: healthy, then under each fault the issue names. Every fault
 * is undone and the lab awaited healthy before the next test. Times are printed for the record.
 */
@Tag("integration")
@ExtendWith(LabExtension.class)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class StatusTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private RunningLab lab;

    @AfterEach
    void healthy_again() {
        if (lab != null) {
            for (String p : List.of("etcd1", "haproxy", "pgbouncer", "patroni-pg1", "patroni-pg2", "patroni-pg3")) {
                lab.lab().startProcess(p);
            }
            resume();
            Health.awaitHealthy(lab, Duration.ofSeconds(90));
        }
    }

    private Timed status(String... extra) {
        List<String> args = new ArrayList<>(List.of("ha", "-c", lab.clusterFile().toString(), "status"));
        args.addAll(List.of(extra));
        Instant t = Instant.now();
        CommandRun run = CommandRun.of(args.toArray(String[]::new));
        Duration took = Duration.between(t, Instant.now());
        System.err.println("status " + String.join(" ", extra) + " took " + took.toMillis() + " ms, exit " + run.exitCode());
        return new Timed(run, took);
    }

    record Timed(CommandRun run, Duration took) {
        JsonNode json() {
            try {
                return JSON.readTree(run.out());
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + run.out() + run.err(), e);
            }
        }

        List<String> codes() {
            List<String> codes = new ArrayList<>();
            json().path("problems").forEach(p -> codes.add(p.path("code").asText()));
            return codes;
        }
    }

    @Test
    void a_healthy_cluster_exits_0_and_every_view_agrees_on_the_leader(RunningLab lab) {
        this.lab = lab;
        Health.awaitHealthy(lab, Duration.ofSeconds(90));
        Timed table = status();
        assertThat(table.run().exitCode()).as(table.run().out() + table.run().err()).isZero();
        assertThat(table.run().out()).contains("MEMBER", "pg1", "pg2", "pg3", "No problems found.", "yes");
        assertThat(table.run().err()).isEmpty();

        JsonNode json = status("-o", "json").json();
        String leader = json.path("leader").asText();
        assertThat(leader).isIn("pg1", "pg2", "pg3");
        assertThat(json.path("etcd").path("leader_key_holder").asText()).isEqualTo(leader);
        assertThat(json.path("haproxy").path("write_reaches").asText()).isEqualTo(leader);
        assertThat(json.path("pgbouncer").path("reaches").asText()).isEqualTo(leader);
        assertThat(json.path("problems")).isEmpty();
        for (JsonNode m : json.path("members")) {
            if (m.path("name").asText().equals(leader)) {
                assertThat(m.path("role").asText()).isEqualTo("leader");
                assertThat(m.path("postgres").path("node").path("in_recovery").asBoolean()).isFalse();
            } else {
                assertThat(m.path("streaming").asBoolean()).isTrue();
                assertThat(m.path("lag_bytes").isNumber()).isTrue();
                assertThat(m.path("replication").path("state").asText()).isEqualTo("streaming");
            }
        }
        assertThat(json.path("slots")).hasSize(2);
    }

    @Test
    void a_stopped_etcd_shows_as_down_within_seconds(RunningLab lab) {
        this.lab = lab;
        lab.lab().stopProcess("etcd1", false);
        Timed t = status("-o", "json");
        assertThat(t.run().exitCode()).isEqualTo(ExitCodes.UNREACHABLE);
        assertThat(t.codes()).contains("etcd_unreachable");
        assertThat(t.codes().get(0)).as("the cause before the Patroni errors it brings").isEqualTo("etcd_unreachable");
        assertThat(t.json().path("etcd").path("healthy").asInt()).isZero();
        assertThat(t.took()).isLessThan(Duration.ofSeconds(6));
    }

    @Test
    void a_stopped_patroni_marks_its_member(RunningLab lab) {
        this.lab = lab;
        String replica = aReplica(lab);
        lab.lab().stopProcess("patroni-" + replica, false);
        Timed t = status("-o", "json");
        assertThat(t.run().exitCode()).isEqualTo(ExitCodes.UNREACHABLE);
        assertThat(problemsOf(t, replica)).contains("patroni_unreachable");
        assertThat(member(t, replica).path("patroni").path("reachable").asBoolean()).isFalse();
        assertThat(member(t, replica).path("state").asText()).isIn("patroni down", "postgres down");
        assertThat(t.took()).isLessThan(Duration.ofSeconds(6));
    }

    @Test
    void a_killed_postgresql_is_down_whatever_patroni_still_says(RunningLab lab) {
        this.lab = lab;
        String replica = aReplica(lab);
        pause();  // so that Patroni does not start it again before we look
        lab.lab().stopProcess("postgres-" + replica, true);
        Timed t = status("-o", "json");
        assertThat(t.run().exitCode()).isEqualTo(ExitCodes.UNREACHABLE);
        assertThat(problemsOf(t, replica)).contains("postgres_unreachable");
        assertThat(t.codes()).contains("paused");
        assertThat(member(t, replica).path("state").asText()).isEqualTo("postgres down");
        assertThat(member(t, replica).path("postgres").path("reachable").asBoolean()).isFalse();
        assertThat(t.took()).isLessThan(Duration.ofSeconds(6));
    }

    @Test
    void a_stopped_haproxy_or_pgbouncer_is_named(RunningLab lab) {
        this.lab = lab;
        lab.lab().stopProcess("haproxy", false);
        Timed h = status("-o", "json");
        assertThat(h.run().exitCode()).isEqualTo(ExitCodes.UNREACHABLE);
        assertThat(h.codes()).contains("haproxy_unreachable", "haproxy_write_unreachable");
        lab.lab().startProcess("haproxy");
        Health.awaitAnswering(lab, "haproxy", Duration.ofSeconds(20));

        lab.lab().stopProcess("pgbouncer", false);
        Timed b = status("-o", "json");
        assertThat(b.run().exitCode()).isEqualTo(ExitCodes.UNREACHABLE);
        assertThat(b.codes()).contains("pgbouncer_unreachable").doesNotContain("haproxy_unreachable");
        assertThat(b.took()).isLessThan(Duration.ofSeconds(6));
    }

    @Test
    void an_address_that_accepts_but_never_answers_times_out_within_the_deadline(RunningLab lab) throws IOException {
        this.lab = null;
        ClusterSpec spec = lab.cluster().spec();
        // listening sockets that are never accepted: the kernel completes the handshake, nobody answers
        try (ServerSocket pgHole = new ServerSocket(); ServerSocket restHole = new ServerSocket(); ServerSocket etcdHole = new ServerSocket()) {
            pgHole.bind(new InetSocketAddress("127.0.0.12", LabExtension.PORT_BASE + 55), 50);
            restHole.bind(new InetSocketAddress("127.0.0.12", LabExtension.PORT_BASE + 56), 50);
            etcdHole.bind(new InetSocketAddress("127.0.0.21", LabExtension.PORT_BASE + 57), 50);
            String yaml = Files.readString(lab.clusterFile())
                    .replace("port: " + spec.members().get(1).port() + ",", "port: " + (LabExtension.PORT_BASE + 55) + ",")
                    .replace("patroni_port: " + spec.members().get(1).patroniPort() + "}", "patroni_port: " + (LabExtension.PORT_BASE + 56) + "}")
                    .replace("client_port: " + spec.etcd().members().get(0).clientPort(), "client_port: " + (LabExtension.PORT_BASE + 57));
            Path file = Files.createTempFile("blackhole", ".yaml");
            Files.writeString(file, yaml);
            Instant t = Instant.now();
            CommandRun run = CommandRun.of("ha", "-c", file.toString(), "status", "-o", "json", "--connect-timeout", "1s", "--read-timeout", "2s");
            Duration took = Duration.between(t, Instant.now());
            System.err.println("status against black holes took " + took.toMillis() + " ms");
            assertThat(run.exitCode()).isEqualTo(ExitCodes.UNREACHABLE);
            assertThat(took).isLessThan(Duration.ofSeconds(6));
            JsonNode json = JSON.readTree(run.out());
            List<String> codes = new ArrayList<>();
            json.path("problems").forEach(p -> codes.add(p.path("code").asText() + "@" + p.path("member").asText()));
            assertThat(codes).contains("patroni_unreachable@pg2", "postgres_unreachable@pg2", "etcd_unreachable@null");
            Files.delete(file);
        }
    }

    @Test
    void wrong_credentials_read_authentication_failed_never_a_stack_trace(RunningLab lab) throws IOException {
        this.lab = null;
        Path wrong = Files.createTempFile("wrong-superuser", ".pw");
        TestClusters.writeSecret(wrong, "definitely-not-the-password");
        String yaml = Files.readString(lab.clusterFile()).replaceFirst("superuser: \\{file: [^}]*}", "superuser: {file: " + wrong + "}");
        Path file = Files.createTempFile("wrong-credentials", ".yaml");
        Files.writeString(file, yaml);
        CommandRun run = CommandRun.of("ha", "-c", file.toString(), "status");
        assertThat(run.exitCode()).isEqualTo(ExitCodes.AUTHENTICATION_FAILED);
        assertThat(run.out()).contains("postgres_auth_failed").contains("authentication failed for PostgreSQL on pg1 at 127.0.0.11:" + (LabExtension.PORT_BASE + 1));
        assertThat(run.out() + run.err()).doesNotContain("Exception").doesNotContain("\tat ").doesNotContain("definitely-not-the-password");
        Files.delete(file);
        Files.delete(wrong);
    }

    private static String aReplica(RunningLab lab) {
        ClusterStatus s = Health.awaitHealthy(lab, Duration.ofSeconds(60));
        return s.members().stream().filter(m -> !m.isLeader()).findFirst().orElseThrow().name();
    }

    private static JsonNode member(Timed t, String name) {
        for (JsonNode m : t.json().path("members")) {
            if (m.path("name").asText().equals(name)) {
                return m;
            }
        }
        throw new AssertionError("no member " + name);
    }

    private static List<String> problemsOf(Timed t, String member) {
        List<String> codes = new ArrayList<>();
        t.json().path("problems").forEach(p -> {
            if (p.path("member").asText().equals(member)) {
                codes.add(p.path("code").asText());
            }
        });
        return codes;
    }

    private void pause() {
        Health.setPause(lab, true);
    }

    private void resume() {
        Health.setPause(lab, false);
    }
}
