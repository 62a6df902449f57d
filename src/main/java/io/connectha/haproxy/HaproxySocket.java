package io.connectha.haproxy;

import io.connectha.error.ConnectError;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

/**
 * One command on HAProxy's admin socket: HAProxy answers and closes the connection (non-interactive
 * mode). Read with a deadline, since a wedged HAProxy may accept and never answer.
 */
public final class HaproxySocket {

    private HaproxySocket() {
    }

    public static String command(Path socket, String command, Duration timeout) {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
             Selector selector = Selector.open()) {
            long deadline = System.nanoTime() + timeout.toNanos();
            // non-blocking from the start: a wedged HAProxy whose accept queue is full makes a blocking connect wait for ever
            ch.configureBlocking(false);
            try {
                ch.connect(UnixDomainSocketAddress.of(socket));
            } catch (java.net.SocketException e) {
                if (String.valueOf(e.getMessage()).contains("temporarily unavailable")) {
                    throw ConnectError.unreachable("HAProxy stats socket", socket.toString(), timeout,
                            "not accepting connections (its queue is full)", e);
                }
                throw e;
            }
            ByteBuffer request = ByteBuffer.wrap((command + "\n").getBytes(StandardCharsets.US_ASCII));
            SelectionKey key = ch.register(selector, SelectionKey.OP_WRITE);
            while (request.hasRemaining()) {
                long left = (deadline - System.nanoTime()) / 1_000_000;
                if (left <= 0) {
                    throw ConnectError.unreachable("HAProxy stats socket", socket.toString(), timeout, "no answer (timed out)", null);
                }
                if (ch.write(request) == 0) {
                    selector.select(left);
                    selector.selectedKeys().clear();
                }
            }
            key.interestOps(SelectionKey.OP_READ);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
            while (true) {
                long left = (deadline - System.nanoTime()) / 1_000_000;
                if (left <= 0) {
                    throw ConnectError.unreachable("HAProxy stats socket", socket.toString(), timeout, "no answer (timed out)", null);
                }
                if (selector.select(left) == 0) {
                    continue;
                }
                selector.selectedKeys().clear();
                int n = ch.read(buf);
                if (n < 0) {
                    return out.toString(StandardCharsets.UTF_8);
                }
                out.write(buf.array(), 0, buf.position());
                buf.clear();
            }
        } catch (IOException e) {
            throw ConnectError.unreachable("HAProxy stats socket", socket.toString(), timeout,
                    e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage(), e);
        }
    }
}
