package io.connectha.haproxy;

import io.connectha.cluster.HaproxySpec;
import io.connectha.cluster.MemberSpec;
import io.connectha.error.ConnectError;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Moves the write backend to a new leader at once, through HAProxy's admin socket, instead of waiting for the health
 * checks (fall x inter for the old leader, rise x inter for the new one). Only the servers' health is forced, never
 * their administrative state: the health checks keep running and stay in charge, and since Patroni's {@code /primary}
 * already answers as forced (200 on the new leader, 503 on the demoted one), the next checks agree and nothing has to
 * be put back.
 */
public final class HaproxyWriteSteering {

    /** What was sent: the server forced down (the old leader), the one forced up, and the commands in order. */
    public record Steered(String backend, String downServer, String upServer, List<String> commands) {
    }

    private HaproxyWriteSteering() {
    }

    /** The commands, old leader first: for a moment the backend has no server rather than two. */
    static List<String> commands(String backend, String downServer, String upServer) {
        List<String> commands = new ArrayList<>();
        if (downServer != null) {
            commands.add("set server " + backend + "/" + downServer + " health down");
        }
        commands.add("set server " + backend + "/" + upServer + " health up");
        return commands;
    }

    /**
     * Forces the old leader's server in the write backend down and the new leader's up. Servers are found by the members'
     * addresses ({@link HaproxyMembers}), not by name.
     */
    public static Steered steer(HaproxySpec spec, List<MemberSpec> members, String oldLeader, String newLeader, Duration timeout) {
        Path socket = Path.of(spec.statsSocket());
        if (!java.nio.file.Files.isWritable(socket)) {
            throw new ConnectError(ConnectError.Kind.FAILURE, "--steer-haproxy needs HAProxy's admin socket " + socket
                    + ", which this user cannot write");
        }
        String backend = spec.writeBackend();
        List<HaproxyServer> servers = HaproxyStats.parse(HaproxySocket.command(socket, "show stat", timeout)).stream()
                .filter(s -> s.backend().equals(backend)).toList();
        String up = serverOf(servers, members, newLeader);
        if (up == null) {
            throw new ConnectError(ConnectError.Kind.FAILURE, "HAProxy's write backend " + backend + " has no server at "
                    + newLeader + "'s address");
        }
        String down = serverOf(servers, members, oldLeader);
        List<String> commands = commands(backend, down, up);
        for (String command : commands) {
            String answer = HaproxySocket.command(socket, command, timeout).strip();
            if (!answer.isEmpty()) {
                throw new ConnectError(ConnectError.Kind.FAILURE, "HAProxy refused '" + command + "': "
                        + answer.lines().findFirst().orElse(answer));
            }
        }
        return new Steered(backend, down, up, commands);
    }

    private static String serverOf(List<HaproxyServer> servers, List<MemberSpec> members, String member) {
        return servers.stream().filter(s -> HaproxyMembers.memberOf(s, members).map(m -> m.name().equals(member)).orElse(false))
                .map(HaproxyServer::server).findFirst().orElse(null);
    }
}
