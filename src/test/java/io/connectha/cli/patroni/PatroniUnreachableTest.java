package io.connectha.cli.patroni;

import io.connectha.support.TimedRun;

import io.connectha.cli.ExitCodes;
import io.connectha.support.CommandRun;
import io.connectha.support.TestClusters;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
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
 * No Patroni needed: the patroni commands against members whose Patroni accepts connections and never
 * answers (a hung Patroni), or that nobody listens on. They must give up at connect + read timeout, not
 * after a minute per member.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class PatroniUnreachableTest {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    /** The default --connect-timeout (1 s) and --read-timeout (2 s), with room for a loaded machine. */
    private static final Duration BOUND = Duration.ofSeconds(1 + 2 + 3);

    @TempDir
    Path dir;

    private final List<ServerSocket> silent = new ArrayList<>();

    @BeforeEach
    void two_silent_patronis() throws IOException {
        // the kernel completes the handshake into the backlog; nothing ever reads or writes
        silent.add(io.connectha.support.TimedRun.listen(LOOPBACK, 50));
        silent.add(io.connectha.support.TimedRun.listen(LOOPBACK, 50));
    }

    @AfterEach
    void close() throws IOException {
        for (ServerSocket s : silent) {
            s.close();
        }
    }

    /** Both members on loopback, their Patroni at the silent ports, PostgreSQL at ports nobody listens on. */
    private Path clusterWithPatroniAt(int port1, int port2) throws IOException {
        String text = TestClusters.minimal(dir)
                .replace("    host: 10.1.0.11\n", "    host: 127.0.0.1\n    port: " + TimedRun.portNobodyListensOn() + "\n    patroni_port: " + port1 + "\n")
                .replace("    host: 10.1.0.12\n", "    host: 127.0.0.1\n    port: " + TimedRun.portNobodyListensOn() + "\n    patroni_port: " + port2 + "\n");
        Path file = dir.resolve("cluster.yaml");
        Files.writeString(file, text);
        return file;
    }




    @Test
    void list_show_config_and_history_give_up_on_hung_members_at_connect_plus_read_timeout_with_exit_5() throws IOException {
        int port1 = silent.get(0).getLocalPort();
        Path cluster = clusterWithPatroniAt(port1, silent.get(1).getLocalPort());
        for (String command : List.of("list", "show-config", "history")) {
            TimedRun t = TimedRun.of("ha", "-c", cluster.toString(), "patroni", command);
            assertThat(t.run().exitCode()).as(command + ": " + t.run().err()).isEqualTo(ExitCodes.UNREACHABLE);
            assertThat(t.run().err().lines()).as(command).hasSize(1);
            assertThat(t.run().err()).as(command)
                    .isEqualTo("connect: could not reach Patroni on pg1 at 127.0.0.1:" + port1 + " within 3000 ms: no answer (timed out)"
                            + System.lineSeparator());
            // the read timeout (2 s) runs out on both at once; one after another, each with 60 s more, took minutes
            assertThat(t.took()).as(command).isBetween(Duration.ofMillis(1900), BOUND);
        }
    }

    @Test
    void list_answers_at_once_with_exit_5_when_nobody_listens() throws IOException {
        int port1 = TimedRun.portNobodyListensOn();
        Path cluster = clusterWithPatroniAt(port1, TimedRun.portNobodyListensOn());
        TimedRun t = TimedRun.of("ha", "-c", cluster.toString(), "patroni", "list");
        assertThat(t.run().exitCode()).as(t.run().err()).isEqualTo(ExitCodes.UNREACHABLE);
        assertThat(t.run().err()).isEqualTo("connect: could not reach Patroni on pg1 at 127.0.0.1:" + port1
                + " within 1000 ms: connection refused" + System.lineSeparator());
        assertThat(t.took()).isLessThan(Duration.ofSeconds(2));
    }

    @Test
    void list_takes_the_answer_of_a_live_member_when_the_first_is_hung() throws Exception {
        // pg1 hung, pg2 answers as Patroni does: the answer comes from pg2 without waiting for pg1's timeout
        try (ServerSocket live = io.connectha.support.TimedRun.listen(LOOPBACK, 50)) {
            Thread server = new Thread(() -> answerOnce(live, """
                    {"members": [{"name": "pg2", "role": "leader", "state": "running", "host": "127.0.0.1", "port": 5432,
                    "timeline": 7}], "scope": "test"}"""));
            server.setDaemon(true);
            server.start();
            Path cluster = clusterWithPatroniAt(silent.get(0).getLocalPort(), live.getLocalPort());
            TimedRun t = TimedRun.of("ha", "-c", cluster.toString(), "patroni", "list", "-o", "json");
            assertThat(t.run().exitCode()).as(t.run().err()).isEqualTo(ExitCodes.OK);
            assertThat(t.run().out()).contains("\"pg2\"").contains("7");
            assertThat(t.took()).isLessThan(Duration.ofMillis(2500));
        }
    }

    private static void answerOnce(ServerSocket server, String json) {
        try (java.net.Socket s = server.accept()) {
            java.io.BufferedReader in = new java.io.BufferedReader(new java.io.InputStreamReader(s.getInputStream(),
                    java.nio.charset.StandardCharsets.US_ASCII));
            String line;
            while ((line = in.readLine()) != null && !line.isEmpty()) {
                // the request line and headers; a GET has no body
            }
            byte[] body = json.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            s.getOutputStream().write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + body.length
                    + "\r\nConnection: close\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            s.getOutputStream().write(body);
            s.getOutputStream().flush();
        } catch (IOException e) {
            // the test's assertions say what went wrong
        }
    }

    @Test
    void switchover_and_failover_with_no_patroni_answering_exit_5_within_the_status_deadline() throws IOException {
        int port1 = silent.get(0).getLocalPort();
        Path cluster = clusterWithPatroniAt(port1, silent.get(1).getLocalPort());
        for (String command : List.of("switchover", "failover")) {
            TimedRun t = TimedRun.of("ha", "-c", cluster.toString(), "patroni", command, "--yes");
            assertThat(t.run().exitCode()).as(command + ": " + t.run().err()).isEqualTo(ExitCodes.UNREACHABLE);
            assertThat(t.run().err().lines()).as(command).hasSize(1);
            assertThat(t.run().err()).as(command).startsWith("connect: cannot " + command + ": no member's Patroni answered (")
                    .contains("pg1");
            assertThat(t.took()).as(command).isLessThan(BOUND);
        }
    }
}
