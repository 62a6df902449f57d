package io.connectha.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.connectha.support.CommandRun;
import io.connectha.support.TestClusters;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * pgbouncer, haproxy and dsn through the real command tree, where no running component is needed:
 * what they refuse, what they print, and how they fail. Under the test runner stdin is not a terminal.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ProxyCommandsTest {

    private static String cluster;
    private static String closedPorts;
    private static int closedPort;
    private static int closedStatsPort;

    @BeforeAll
    static void clusters(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("cluster.yaml");
        Files.writeString(file, TestClusters.minimal(dir));
        cluster = file.toString();
        // ports nothing listens on: bound, then released
        try (ServerSocket a = io.connectha.support.TimedRun.listen(java.net.InetAddress.getByName("127.0.0.1"), 1);
             ServerSocket b = io.connectha.support.TimedRun.listen(java.net.InetAddress.getByName("127.0.0.1"), 1)) {
            closedPort = a.getLocalPort();
            closedStatsPort = b.getLocalPort();
        }
        Path closed = dir.resolve("closed.yaml");
        Files.writeString(closed, TestClusters.minimal(dir).replace("haproxy:\n  host: 10.1.0.10\n",
                "haproxy:\n  host: 127.0.0.1\n  stats_port: " + closedStatsPort + "\n  stats_socket: " + dir.resolve("no.sock") + "\n"
                        + "pgbouncer:\n  host: 127.0.0.1\n  port: " + closedPort + "\n"));
        closedPorts = closed.toString();
    }

    @Test
    void dsn_prints_the_string_alone_and_without_the_password() {
        CommandRun run = CommandRun.of("ha", "-c", cluster, "dsn", "--format", "jdbc");
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).isEqualTo("jdbc:postgresql://10.1.0.10:6432/app?user=app&connectTimeout=5&prepareThreshold=0\n");
        assertThat(run.err()).isEmpty();
    }

    @Test
    void dsn_with_password_says_so_on_stderr_even_when_quiet() {
        CommandRun run = CommandRun.of("ha", "-c", cluster, "dsn", "--read", "--with-password", "-q");
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).isEqualTo("postgresql://app:test-app-pw-7Qz@10.1.0.10:5001/app?connect_timeout=5\n");
        assertThat(run.err()).isEqualTo("connect: note: the output contains the password of app; keep it out of logs, shell history and process lists\n");
    }

    @Test
    void dsn_json_describes_the_path() throws IOException {
        CommandRun run = CommandRun.of("ha", "-c", cluster, "dsn", "--via", "haproxy", "--format", "prisma", "-o", "json");
        JsonNode json = new ObjectMapper().readTree(run.out());
        assertThat(json.path("dsn").asText()).isEqualTo("postgresql://app@10.1.0.10:5000/app?connect_timeout=5");
        assertThat(json.path("role").asText()).isEqualTo("write");
        assertThat(json.path("via").asText()).isEqualTo("haproxy");
        assertThat(json.path("format").asText()).isEqualTo("prisma");
        assertThat(json.path("transaction_pooled").asBoolean()).isFalse();
        assertThat(json.path("contains_password").asBoolean()).isFalse();
        assertThat(json.path("member").isNull()).isTrue();
    }

    @Test
    void dsn_refuses_write_and_read_together_and_pgbouncer_for_reads() {
        assertThat(CommandRun.of("ha", "-c", cluster, "dsn", "--write", "--read").exitCode()).isEqualTo(ExitCodes.USAGE);
        CommandRun run = CommandRun.of("ha", "-c", cluster, "dsn", "--read", "--via", "pgbouncer");
        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err().lines()).hasSize(1);
    }

    @Test
    void pause_without_yes_and_without_a_terminal_is_refused_before_anything_is_sent() {
        CommandRun run = CommandRun.of("ha", "-c", closedPorts, "pgbouncer", "pause");
        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.out()).isEmpty();
        assertThat(run.err().lines()).hasSize(1);
        assertThat(run.err()).contains("not confirmed").contains("add --yes");
    }

    @Test
    void a_database_that_could_carry_a_second_command_is_refused_before_connecting() {
        CommandRun run = CommandRun.of("ha", "-c", closedPorts, "pgbouncer", "resume", "app;SHUTDOWN");
        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).startsWith("connect: database name 'app;SHUTDOWN' is not a plain identifier");
    }

    @Test
    void a_pgbouncer_that_is_not_there_is_exit_5_in_one_line_naming_it() {
        Instant t = Instant.now();
        CommandRun run = CommandRun.of("ha", "-c", closedPorts, "pgbouncer", "pools");
        assertThat(Duration.between(t, Instant.now())).isLessThan(Duration.ofSeconds(3));
        assertThat(run.exitCode()).isEqualTo(ExitCodes.UNREACHABLE);
        assertThat(run.err().lines()).hasSize(1);
        assertThat(run.err()).startsWith("connect: could not reach PgBouncer admin console at 127.0.0.1:" + closedPort + " within 1000 ms");
        assertThat(run.err()).doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Test
    void a_pgbouncer_that_accepts_and_never_answers_fails_within_the_connect_timeout(@TempDir Path dir) throws IOException {
        // a listening socket nobody accepts on: the kernel completes the handshake, nothing answers
        try (ServerSocket hole = io.connectha.support.TimedRun.listen(java.net.InetAddress.getByName("127.0.0.1"), 50)) {
            Path file = dir.resolve("hole.yaml");
            Files.writeString(file, Files.readString(Path.of(closedPorts)).replace("port: " + closedPort, "port: " + hole.getLocalPort()));
            Instant t = Instant.now();
            CommandRun run = CommandRun.of("ha", "-c", file.toString(), "pgbouncer", "pools", "--connect-timeout", "1s");
            Duration took = Duration.between(t, Instant.now());
            System.err.println("pgbouncer pools against a black hole: exit " + run.exitCode() + " in " + took.toMillis() + " ms");
            assertThat(run.exitCode()).isEqualTo(ExitCodes.UNREACHABLE);
            assertThat(run.err()).startsWith("connect: could not reach PgBouncer admin console at 127.0.0.1:" + hole.getLocalPort());
            assertThat(run.err().lines()).hasSize(1);
            assertThat(took).isLessThan(Duration.ofSeconds(3));
        }
    }

    @Test
    void an_admin_socket_that_never_answers_fails_at_its_deadline(@TempDir Path dir) throws IOException {
        Path socket = dir.resolve("hole.sock");
        try (java.nio.channels.ServerSocketChannel hole = java.nio.channels.ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX)) {
            hole.bind(java.net.UnixDomainSocketAddress.of(socket), 50);
            Path file = dir.resolve("hole.yaml");
            Files.writeString(file, Files.readString(Path.of(closedPorts)).replaceFirst("stats_socket: .*", "stats_socket: " + socket));
            Instant t = Instant.now();
            CommandRun run = CommandRun.of("ha", "-c", file.toString(), "haproxy", "disable", "pg1", "--backend", "read", "--timeout", "1s");
            Duration took = Duration.between(t, Instant.now());
            System.err.println("haproxy disable against a silent admin socket: exit " + run.exitCode() + " in " + took.toMillis() + " ms");
            assertThat(run.exitCode()).isEqualTo(ExitCodes.UNREACHABLE);
            assertThat(run.err()).isEqualTo("connect: could not reach HAProxy stats socket at " + socket + " within 1000 ms: no answer (timed out)\n");
            assertThat(took).isLessThan(Duration.ofSeconds(3));
        }
    }

    @Test
    void haproxy_status_without_socket_or_stats_page_is_exit_5() {
        CommandRun run = CommandRun.of("ha", "-c", closedPorts, "haproxy", "status");
        assertThat(run.exitCode()).isEqualTo(ExitCodes.UNREACHABLE);
        assertThat(run.err()).isEqualTo("connect: could not reach HAProxy stats at 127.0.0.1:" + closedStatsPort + " within 1000 ms: connection refused\n");
    }

    @Test
    void haproxy_disable_without_the_admin_socket_says_why_and_exits_1() {
        CommandRun run = CommandRun.of("ha", "-c", closedPorts, "haproxy", "disable", "pg1", "--yes");
        assertThat(run.exitCode()).isEqualTo(ExitCodes.FAILURE);
        assertThat(run.err().lines()).hasSize(1);
        assertThat(run.err()).contains("no.sock does not exist").contains("the stats page cannot change state");
    }

    @Test
    void a_bad_timeout_is_a_usage_error() {
        CommandRun run = CommandRun.of("ha", "-c", cluster, "pgbouncer", "pools", "--read-timeout", "soon");
        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err().lines()).containsExactly("connect: Invalid value for option '--read-timeout': 'soon' is not a time");
    }

    @Test
    void the_new_groups_are_in_the_tree() {
        assertThat(CommandRun.of("ha", "--help").out()).contains("pgbouncer", "haproxy", "dsn");
        assertThat(CommandRun.of("ha", "pgbouncer", "--help").out()).contains("pools", "stats", "clients", "servers", "pause", "resume", "reload");
        assertThat(CommandRun.of("ha", "haproxy", "--help").out()).contains("status", "enable", "disable");
    }
}
