package io.connectha.haproxy;

import io.connectha.error.ConnectError;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A wedged HAProxy that never accepts: once its accept queue is full, a blocking connect to its admin socket waited for ever. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class HaproxySocketFullQueueTest {

    @Test
    @Timeout(10)
    void an_admin_socket_whose_queue_is_full_fails_at_once_as_unreachable(@TempDir Path dir) throws Exception {
        Path socket = dir.resolve("full.sock");
        List<SocketChannel> queued = new ArrayList<>();
        try (ServerSocketChannel wedged = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            wedged.bind(UnixDomainSocketAddress.of(socket), 1);
            // fill the queue: Linux takes backlog + 1 connections before it refuses more
            for (int i = 0; i < 4; i++) {
                SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX);
                c.configureBlocking(false);
                queued.add(c);
                try {
                    c.connect(UnixDomainSocketAddress.of(socket));
                } catch (java.net.SocketException full) {
                    break;
                }
            }
            long start = System.nanoTime();
            assertThatThrownBy(() -> HaproxySocket.command(socket, "show stat", Duration.ofSeconds(1)))
                    .isInstanceOf(ConnectError.class)
                    .hasMessage("could not reach HAProxy stats socket at " + socket + " within 1000 ms: not accepting connections (its queue is full)")
                    .satisfies(e -> assertThat(((ConnectError) e).kind()).isEqualTo(ConnectError.Kind.UNREACHABLE));
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
        } finally {
            for (SocketChannel c : queued) {
                c.close();
            }
        }
    }
}
