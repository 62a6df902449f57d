package io.connectha.haproxy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An HAProxy admin socket for unit tests: one command per connection, answered and closed, as
 * HAProxy does in non-interactive mode. It keeps each server's status and moves it the way HAProxy
 * 2.6 does (seen on the lab): out of maintenance a server reads "DRAIN 1/2" until its health check
 * decides, then "DRAIN" (healthy) or "DOWN".
 */
final class FakeAdminSocket implements AutoCloseable {

    /** A command as received, with the server's status at that moment. */
    record Received(String command, String statusThen) {
    }

    private final Path path;
    private final ServerSocketChannel server;
    private final Thread thread;
    private final Map<String, String> status = new LinkedHashMap<>();
    private final Map<String, Boolean> healthy = new LinkedHashMap<>();
    private final Map<String, String> address = new LinkedHashMap<>();
    private final Map<String, Integer> checksToSettle = new LinkedHashMap<>();
    private final List<Received> received = Collections.synchronizedList(new ArrayList<>());
    private int settleAfterShows = 2;

    FakeAdminSocket(Path dir) throws IOException {
        path = dir.resolve("haproxy.sock");
        Files.deleteIfExists(path);
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(path));
        thread = new Thread(this::serve, "fake-haproxy");
        thread.setDaemon(true);
        thread.start();
    }

    Path path() {
        return path;
    }

    /** A server with its status and whether its health check passes (a primary in write, a replica in read). */
    synchronized FakeAdminSocket server(String backend, String name, String initialStatus, boolean passesCheck) {
        status.put(backend + "/" + name, initialStatus);
        healthy.put(backend + "/" + name, passesCheck);
        return this;
    }

    /** A server at an address (host:port), which {@code show stat} reports in its {@code addr} column. */
    synchronized FakeAdminSocket server(String backend, String name, String address, String initialStatus, boolean passesCheck) {
        this.address.put(backend + "/" + name, address);
        return server(backend, name, initialStatus, passesCheck);
    }

    synchronized void remove(String backend, String name) {
        status.remove(backend + "/" + name);
    }

    /** How many {@code show stat} reads a drained server stays undecided; -1: it never decides. */
    synchronized FakeAdminSocket settleAfterShows(int shows) {
        settleAfterShows = shows;
        return this;
    }

    synchronized String status(String backend, String name) {
        return status.get(backend + "/" + name);
    }

    List<Received> received() {
        return List.copyOf(received);
    }

    List<String> changes() {
        return received().stream().map(Received::command).filter(c -> !c.equals("show stat")).toList();
    }

    private void serve() {
        while (server.isOpen()) {
            try (SocketChannel ch = server.accept()) {
                String command = readLine(ch);
                ch.write(ByteBuffer.wrap(answer(command).getBytes(StandardCharsets.US_ASCII)));
            } catch (IOException e) {
                return;
            }
        }
    }

    private static String readLine(SocketChannel ch) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        ByteBuffer one = ByteBuffer.allocate(1);
        while (ch.read(one) > 0) {
            one.flip();
            byte b = one.get();
            one.clear();
            if (b == '\n') {
                break;
            }
            line.write(b);
        }
        return line.toString(StandardCharsets.US_ASCII);
    }

    private synchronized String answer(String command) {
        String[] w = command.split(" ");
        String target = w.length > 2 ? w[2] : "";
        received.add(new Received(command, status.get(target)));
        if (command.equals("show stat")) {
            return showStat();
        }
        if (!status.containsKey(target)) {
            return "No such server.\n\n";
        }
        if (command.startsWith("disable server ")) {
            status.put(target, "MAINT");
        } else if (command.endsWith(" state drain")) {
            if (status.get(target).startsWith("MAINT")) {
                status.put(target, "DRAIN 1/2");
                checksToSettle.put(target, settleAfterShows);
            } else if (status.get(target).startsWith("UP")) {
                status.put(target, "DRAIN");
            }
        } else if (command.endsWith(" state ready")) {
            String s = status.get(target);
            // ready keeps the health as it is: "DRAIN 1/2" would come back as "UP 1/2", routable
            status.put(target, s.startsWith("DRAIN") ? s.replace("DRAIN", "UP") : s);
        } else {
            return "Unknown command.\n\n";
        }
        return "\n";
    }

    private String showStat() {
        for (Map.Entry<String, Integer> e : checksToSettle.entrySet()) {
            if (e.getValue() > 0) {
                e.setValue(e.getValue() - 1);
            }
            if (e.getValue() == 0 && status.get(e.getKey()).equals("DRAIN 1/2")) {
                status.put(e.getKey(), healthy.get(e.getKey()) ? "DRAIN" : "DOWN");
            }
        }
        StringBuilder csv = new StringBuilder("# pxname,svname,scur,status,lastchg,check_status,addr,\n");
        java.util.Set<String> backends = new java.util.LinkedHashSet<>();
        status.forEach((key, s) -> {
            String[] bs = key.split("/");
            backends.add(bs[0]);
            csv.append(bs[0]).append("_front,FRONTEND,0,OPEN,,,,\n");
            csv.append(bs[0]).append(',').append(bs[1]).append(",0,").append(s).append(",12,")
                    .append(s.startsWith("MAINT") ? "" : healthy.get(key) ? "L7OK" : "L7STS").append(',')
                    .append(address.getOrDefault(key, "")).append(",\n");
        });
        backends.forEach(b -> csv.append(b).append(",BACKEND,0,UP,12,,,\n"));
        return csv.append('\n').toString();
    }

    @Override
    public void close() throws IOException {
        server.close();
        Files.deleteIfExists(path);
    }
}
