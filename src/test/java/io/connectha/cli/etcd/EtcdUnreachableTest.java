package io.connectha.cli.etcd;

import io.connectha.support.TimedRun;

import io.connectha.cli.ExitCodes;
import io.connectha.support.CommandRun;
import io.connectha.support.TestClusters;
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
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** No etcd needed: what the etcd commands do when etcd is down or hung, which is when people run them. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class EtcdUnreachableTest {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    @TempDir
    Path dir;

    private Path clusterWithEtcdAt(int clientPort) throws IOException {
        String text = TestClusters.minimal(dir).replace("    - {name: etcd1, host: 10.1.0.21}\n",
                "    - {name: etcd1, host: 127.0.0.1, client_port: " + clientPort + "}\n");
        Path file = dir.resolve("cluster.yaml");
        Files.writeString(file, text);
        return file;
    }




    @Test
    void every_command_fails_at_once_with_exit_5_and_one_line_naming_etcd_and_its_address_when_nothing_listens() throws IOException {
        int port = TimedRun.portNobodyListensOn();
        Path cluster = clusterWithEtcdAt(port);
        for (List<String> command : List.of(List.of("status"), List.of("members"), List.of("get", "leader"), List.of("keys"))) {
            List<String> args = new java.util.ArrayList<>(List.of("ha", "-c", cluster.toString(), "etcd"));
            args.addAll(command);
            TimedRun t = TimedRun.of(args.toArray(String[]::new));
            assertThat(t.run().exitCode()).as(command + ": " + t.run().err()).isEqualTo(ExitCodes.UNREACHABLE);
            assertThat(t.run().err().lines()).as(command.toString()).hasSize(1);
            assertThat(t.run().err()).as(command.toString())
                    .isEqualTo("connect: could not reach etcd at 127.0.0.1:" + port + " within 2000 ms: connection refused" + System.lineSeparator());
            assertThat(t.took()).as(command.toString()).isLessThan(Duration.ofSeconds(3));
        }
    }

    @Test
    void status_still_shows_the_table_with_the_endpoint_down_and_why() throws IOException {
        int port = TimedRun.portNobodyListensOn();
        CommandRun run = CommandRun.of("ha", "-c", clusterWithEtcdAt(port).toString(), "etcd", "status");
        assertThat(run.exitCode()).isEqualTo(ExitCodes.UNREACHABLE);
        assertThat(run.out()).contains("http://127.0.0.1:" + port).contains("down").contains("connection refused")
                .contains("Patroni leader: unknown (no etcd endpoint answered)");
    }

    @Test
    void a_member_that_accepts_connections_but_never_answers_is_given_up_on_at_the_deadline() throws IOException {
        // the kernel completes the handshake into the backlog; nothing ever reads or writes: a hung etcd
        try (ServerSocket silent = io.connectha.support.TimedRun.listen(LOOPBACK, 50)) {
            Path cluster = clusterWithEtcdAt(silent.getLocalPort());
            for (List<String> command : List.of(List.of("status"), List.of("get", "members/pg1"))) {
                List<String> args = new java.util.ArrayList<>(List.of("ha", "-c", cluster.toString(), "etcd"));
                args.addAll(command);
                TimedRun t = TimedRun.of(args.toArray(String[]::new));
                assertThat(t.run().exitCode()).as(command + ": " + t.run().err()).isEqualTo(ExitCodes.UNREACHABLE);
                assertThat(t.run().err()).as(command.toString())
                        .isEqualTo("connect: could not reach etcd at 127.0.0.1:" + silent.getLocalPort() + " within 2000 ms: no answer"
                                + System.lineSeparator());
                // the deadline (2 s) plus the first use of jetcd's gRPC stack in this JVM, which took up to 5 s when
                // six builds shared the 2 cores; far below what a hang would take
                assertThat(t.took()).as(command.toString()).isBetween(Duration.ofMillis(1900), Duration.ofSeconds(7));
            }
        }
    }
}
