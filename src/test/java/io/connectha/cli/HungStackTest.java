package io.connectha.cli;

import io.connectha.support.TimedRun;

import io.connectha.support.CommandRun;
import io.connectha.support.TestClusters;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * No stack needed: every component of the cluster file (PostgreSQL, Patroni, etcd, HAProxy, PgBouncer)
 * is a listener that accepts connections and never answers, as a hung program does. Every command that
 * only reads must give up with its own exit code within connect + read timeout and a margin.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class HungStackTest {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    @TempDir
    Path dir;

    private final List<ServerSocket> silent = new ArrayList<>();

    @AfterEach
    void close() throws IOException {
        for (ServerSocket s : silent) {
            s.close();
        }
    }

    private int hung() throws IOException {
        // the kernel completes the handshake into the backlog; nothing ever reads or writes
        ServerSocket s = io.connectha.support.TimedRun.listen(LOOPBACK, 50);
        silent.add(s);
        return s.getLocalPort();
    }

    private Path hungCluster() throws IOException {
        String text = TestClusters.minimal(dir)
                .replace("    host: 10.1.0.11\n", "    host: 127.0.0.1\n    port: " + hung() + "\n    patroni_port: " + hung() + "\n")
                .replace("    host: 10.1.0.12\n", "    host: 127.0.0.1\n    port: " + hung() + "\n    patroni_port: " + hung() + "\n")
                .replace("    - {name: etcd1, host: 10.1.0.21}\n", "    - {name: etcd1, host: 127.0.0.1, client_port: " + hung() + "}\n")
                .replace("haproxy:\n  host: 10.1.0.10\n", "haproxy:\n  host: 127.0.0.1\n  write_port: " + hung() + "\n  read_port: " + hung()
                        + "\n  stats_port: " + hung() + "\npgbouncer:\n  host: 127.0.0.1\n  port: " + hung() + "\n");
        Path file = dir.resolve("cluster.yaml");
        Files.writeString(file, text);
        return file;
    }



    /** The default --connect-timeout (1 s) and --read-timeout (2 s), with room for a loaded machine. */
    private static final Duration BOUND = Duration.ofSeconds(1 + 2 + 3);

    @Test
    void every_reading_command_gives_up_with_exit_5_and_one_line_within_connect_plus_read_timeout() throws IOException {
        Path cluster = hungCluster();
        for (List<String> command : List.of(
                List.of("patroni", "list"), List.of("patroni", "show-config"), List.of("patroni", "history"),
                List.of("patroni", "pause"), List.of("patroni", "restart", "pg1", "--yes"), List.of("patroni", "reinit", "pg2", "--yes"),
                List.of("patroni", "switchover", "--yes"), List.of("haproxy", "status"), List.of("pgbouncer", "pools"),
                List.of("pgbouncer", "reload"), List.of("etcd", "keys"), List.of("etcd", "get", "leader"))) {
            TimedRun t = run(cluster, command);
            assertThat(t.run().exitCode()).as(command + ": " + t.run().err()).isEqualTo(ExitCodes.UNREACHABLE);
            assertThat(t.run().err().lines()).as(command.toString()).hasSize(1);
            assertThat(t.run().err()).as(command.toString()).startsWith("connect: ").contains("127.0.0.1:");
            assertThat(t.took()).as(command.toString()).isLessThan(BOUND);
        }
    }

    @Test
    void status_and_replication_status_show_what_did_not_answer_and_exit_5_in_time() throws IOException {
        Path cluster = hungCluster();
        for (List<String> command : List.of(List.of("status"), List.of("replication", "status"))) {
            TimedRun t = run(cluster, command);
            assertThat(t.run().exitCode()).as(command + ": " + t.run().err()).isEqualTo(ExitCodes.UNREACHABLE);
            assertThat(t.run().err()).as(command.toString()).isEmpty();
            assertThat(t.took()).as(command.toString()).isLessThan(BOUND);
        }
    }

    @Test
    void config_generate_from_server_asks_every_member_at_once_within_its_3_s_login_timeout() throws IOException {
        Path cluster = hungCluster();
        // a third hung member: one after another they took 9 s, at once they take 3 s
        Files.writeString(cluster, Files.readString(cluster).replace("etcd:\n", "  - name: pg3\n    host: 127.0.0.1\n    port: " + hung()
                + "\n    patroni_port: " + hung() + "\netcd:\n"));
        TimedRun t = run(cluster, List.of("config", "generate", "--from-server", "--dry-run", "--out", dir.resolve("out").toString()));
        assertThat(t.run().exitCode()).as(t.run().err()).isEqualTo(ExitCodes.UNREACHABLE);
        assertThat(t.run().err().lines()).hasSize(1);
        assertThat(t.run().err()).startsWith("connect: could not reach PostgreSQL on pg1 at 127.0.0.1:");
        assertThat(t.took()).isLessThan(Duration.ofMillis(3000 + 4000));
    }

    private static TimedRun run(Path cluster, List<String> command) {
        List<String> args = new ArrayList<>(List.of("ha", "-c", cluster.toString()));
        args.addAll(command);
        return TimedRun.of(args);
    }
}
