package io.connectha.integration;

import io.connectha.support.Handles;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.connectha.cli.ExitCodes;
import io.connectha.cluster.ClusterSpec;
import io.connectha.cluster.MemberSpec;
import io.connectha.cluster.SecretName;
import io.connectha.error.ConnectError;
import io.connectha.haproxy.HaproxyServer;
import io.connectha.haproxy.HaproxySocket;
import io.connectha.haproxy.HaproxyStats;
import io.connectha.pg.PgConnector;
import io.connectha.support.CommandRun;
import io.connectha.support.Health;
import io.connectha.support.LabExtension;
import io.connectha.support.LabExtension.RunningLab;
import io.connectha.support.LabLeader;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** `connect ha haproxy ...` against the lab's real HAProxy; every server is put back and the lab awaited healthy after each test. */
@Tag("integration")
@ExtendWith(LabExtension.class)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class HaproxyLabTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final PgConnector pg = new PgConnector(Duration.ofSeconds(2), Duration.ofSeconds(5));
    private RunningLab lab;

    @BeforeEach
    void lab(RunningLab lab) {
        this.lab = lab;
    }

    @AfterEach
    void every_server_back_in_service() {
        lab.lab().startProcess("haproxy");
        for (MemberSpec m : lab.cluster().spec().members()) {
            run("haproxy", "enable", m.name());
        }
        Health.awaitHealthy(lab, Duration.ofSeconds(60));
    }

    @Test
    void status_shows_the_write_port_reaching_the_patroni_leader_and_exactly_one_server_up_in_write() {
        String leader = LabLeader.of(lab).name();
        CommandRun run = run("haproxy", "status", "-o", "json");
        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        JsonNode json = json(run);
        assertThat(json.path("write_reaches").asText()).isEqualTo(leader);
        assertThat(json.path("write_reaches_primary").asBoolean()).isTrue();
        assertThat(json.path("source").asText()).startsWith("socket ");
        List<String> upInWrite = new ArrayList<>();
        json.path("write").forEach(s -> {
            if (s.path("status").asText().equals("UP")) {
                upInWrite.add(s.path("server").asText());
            }
        });
        assertThat(upInWrite).containsExactly(leader);
        assertThat(json.path("read")).hasSize(3);
        assertThat(json.path("problems")).isEmpty();

        CommandRun table = run("haproxy", "status");
        assertThat(table.out()).contains("reaches " + leader + " (primary)").containsPattern("(?m)^write\\s+" + leader + "\\s+UP\\s+(\\* )?L7OK")
                .contains("No problems found.");
    }

    @Test
    void disabling_the_leader_in_write_stops_new_writes_and_enable_restores_them() {
        MemberSpec leader = LabLeader.of(lab);

        CommandRun unconfirmed = run("haproxy", "disable", leader.name(), "--backend", "write");
        assertThat(unconfirmed.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(unconfirmed.err()).contains("cuts every new connection through the write port").contains("--yes");
        CommandRun dry = run("haproxy", "disable", leader.name(), "--backend", "write", "--dry-run", "-o", "json");
        assertThat(json(dry).path("backends").get(0).path("outcome").asText()).isEqualTo("dry_run");
        assertThat(writeStatus(leader.name())).isEqualTo("UP");

        CommandRun disable = run("haproxy", "disable", leader.name(), "--backend", "write", "--yes", "-o", "json");
        assertThat(disable.exitCode()).as(disable.err()).isZero();
        JsonNode change = json(disable).path("backends").get(0);
        assertThat(change.path("before").asText()).isEqualTo("UP");
        assertThat(change.path("after").asText()).isEqualTo("MAINT");
        assertThat(writeStatus(leader.name())).isEqualTo("MAINT");

        assertThatThrownBy(() -> writePortReaches()).as("a new connection through the write port").isInstanceOf(ConnectError.class);
        CommandRun status = run("haproxy", "status", "-o", "json");
        assertThat(status.exitCode()).isEqualTo(ExitCodes.DEGRADED);
        assertThat(json(status).path("problems").findValuesAsText("code")).contains("haproxy_no_writer", "haproxy_write_unreachable");
        assertThat(run("haproxy", "disable", leader.name(), "--backend", "write", "--yes").out()).contains("already disabled");

        Instant t = Instant.now();
        CommandRun enable = run("haproxy", "enable", leader.name(), "--backend", "write", "-o", "json");
        System.err.println("enable of the leader in write took " + Duration.between(t, Instant.now()).toMillis() + " ms");
        assertThat(enable.exitCode()).as(enable.err()).isZero();
        assertThat(json(enable).path("backends").get(0).path("after").asText()).isEqualTo("UP");
        assertThat(writePortReaches()).isEqualTo(leader.host());
        assertThat(run("haproxy", "status").exitCode()).isZero();
        assertThat(run("haproxy", "enable", leader.name(), "--backend", "write").out()).contains("already enabled");
    }

    @Test
    void enabling_a_replica_in_write_never_shows_it_up_there() throws Exception {
        MemberSpec leader = LabLeader.of(lab);
        String replica = lab.cluster().spec().members().stream().filter(m -> !m.equals(leader)).findFirst().orElseThrow().name();
        assertThat(run("haproxy", "disable", replica, "--yes").exitCode()).isZero();
        assertThat(writeStatus(replica)).isEqualTo("MAINT");

        // watch the write backend from the side, as fast as HAProxy answers, while enable runs
        Set<String> seen = new ConcurrentSkipListSet<>();
        AtomicBoolean watching = new AtomicBoolean(true);
        Thread watcher = new Thread(() -> {
            while (watching.get()) {
                seen.add(writeStatus(replica));
            }
        });
        watcher.start();
        CommandRun enable;
        try {
            enable = run("haproxy", "enable", replica, "-o", "json");
        } finally {
            watching.set(false);
            watcher.join();
        }
        assertThat(enable.exitCode()).as(enable.err()).isZero();
        assertThat(seen).as("statuses of %s in write during enable", replica).isNotEmpty().noneMatch(s -> s.startsWith("UP"));
        assertThat(writeStatus(replica)).startsWith("DOWN");
        JsonNode read = json(enable).path("backends").get(1);
        assertThat(read.path("backend").asText()).isEqualTo("read");
        assertThat(read.path("before").asText()).isEqualTo("MAINT");
        assertThat(read.path("after").asText()).isNotEqualTo("MAINT");
        System.err.println("statuses of a replica in write seen during enable: " + seen);
    }

    @Test
    void a_stopped_haproxy_is_exit_5_in_one_line_within_seconds() {
        lab.lab().stopProcess("haproxy", false);
        Instant t = Instant.now();
        CommandRun status = run("haproxy", "status");
        Duration took = Duration.between(t, Instant.now());
        System.err.println("haproxy status with HAProxy stopped: exit " + status.exitCode() + " in " + took.toMillis() + " ms");
        assertThat(status.exitCode()).isEqualTo(ExitCodes.UNREACHABLE);
        assertThat(status.err().lines()).hasSize(1);
        assertThat(status.err()).startsWith("connect: could not reach HAProxy stats at 127.0.0.1:");
        assertThat(took).isLessThan(Duration.ofSeconds(3));

        CommandRun disable = run("haproxy", "disable", "pg1", "--backend", "read");
        assertThat(disable.exitCode()).isEqualTo(ExitCodes.UNREACHABLE);
        assertThat(disable.err().lines()).hasSize(1);
        assertThat(disable.err()).startsWith("connect: could not reach HAProxy stats socket at " + lab.cluster().spec().haproxy().statsSocket());
    }

    private String writeStatus(String server) {
        Path socket = Path.of(lab.cluster().spec().haproxy().statsSocket());
        return HaproxyStats.parse(HaproxySocket.command(socket, "show stat", Duration.ofSeconds(2))).stream()
                .filter(s -> s.backend().equals("write") && s.server().equals(server)).map(HaproxyServer::status)
                .findFirst().orElseThrow();
    }

    /** The address a superuser connection through the write port lands on. */
    private String writePortReaches() {
        ClusterSpec spec = lab.cluster().spec();
        try (Handle h = Handles.open(pg, new PgConnector.Endpoint("HAProxy write port", spec.haproxy().host(), spec.haproxy().writePort(),
                "postgres", spec.postgresql().superuser()), lab.secrets().password(SecretName.superuser))) {
            return h.createQuery("SELECT host(inet_server_addr())").mapTo(String.class).one();
        }
    }

    private CommandRun run(String... args) {
        List<String> all = new ArrayList<>(List.of("ha", "-c", lab.clusterFile().toString()));
        all.addAll(List.of(args));
        return CommandRun.of(all.toArray(String[]::new));
    }

    private static JsonNode json(CommandRun run) {
        try {
            return JSON.readTree(run.out());
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + run.out() + run.err(), e);
        }
    }
}
