package io.connectha.haproxy;


import io.connectha.cluster.HaproxySpec;
import io.connectha.error.ConnectError;
import io.connectha.haproxy.HaproxyServerChange.BackendChange;
import io.connectha.haproxy.HaproxyServerChange.Outcome;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Takes a server out of a backend and puts it back, through HAProxy's admin socket (the stats page
 * cannot change state), and reads {@code show stat} afterwards to prove it.
 *
 * <p>Enabling does not use {@code enable server}: HAProxy brings a server that leaves maintenance
 * back as UP before its first health check, and with {@code balance first} the write backend then
 * sends new connections to it for one check interval even when it is a replica (and PgBouncer keeps
 * such a server connection for its whole lifetime). The server leaves maintenance into DRAIN
 * instead, which takes no new connections, and is made ready once its health check has spoken.
 */
public final class HaproxyServerControl {

    public enum Action { enable, disable }

    /** Which backends a change applies to. */
    public enum Backends {
        write, read, all;

        public List<String> names() {
            return switch (this) {
                case write -> List.of(HaproxyBackends.WRITE);
                case read -> List.of(HaproxyBackends.READ);
                case all -> List.of(HaproxyBackends.WRITE, HaproxyBackends.READ);
            };
        }
    }

    /** HAProxy's CLI splits on ';' and spaces: only plain names may reach it. */
    private static final Pattern SERVER_NAME = Pattern.compile("[A-Za-z0-9_.-]{1,63}");
    private static final Duration POLL = Duration.ofMillis(100);

    /** One backend's part of a change: where the server stands now, and whether it needs anything sent. */
    public record Step(String backend, HaproxyServer before, boolean needed) {
    }

    /** What a change would do, before it does it: the command asks for confirmation in between. */
    public record Plan(Action action, String server, List<Step> steps) {

        /** Disabling the server in the write backend, where it is not already out of service. */
        public boolean touchesWrites() {
            return action == Action.disable && steps.stream()
                    .anyMatch(s -> s.needed() && s.backend().equals(HaproxyBackends.WRITE));
        }

        /** The server is the one UP in the write backend: disabling it cuts new writes. */
        public boolean carriesWrites() {
            return steps.stream().anyMatch(s -> s.backend().equals(HaproxyBackends.WRITE) && s.before().up());
        }
    }

    private final HaproxySpec spec;
    private final Duration timeout;

    /** @param timeout for each command on the socket */
    public HaproxyServerControl(HaproxySpec spec, Duration timeout) {
        this.spec = spec;
        this.timeout = timeout;
    }

    public Plan plan(Action action, String server, Backends backends) {
        if (!SERVER_NAME.matcher(server).matches()) {
            throw ConnectError.invalidInput("server name '" + server.replaceAll("\\p{Cntrl}", "?")
                    + "' is not a plain name (letters, digits, '_', '.', '-')");
        }
        Path socket = socket();
        List<HaproxyServer> all = showStat(socket);
        List<Step> steps = new ArrayList<>();
        for (String backend : backends.names()) {
            HaproxyServer current = find(all, backend, server);
            if (current == null) {
                throw ConnectError.invalidInput("HAProxy has no server '" + server + "' in backend " + backend + " (it has: "
                        + String.join(", ", all.stream().filter(s -> s.backend().equals(backend)).map(HaproxyServer::server).toList()) + ")");
            }
            boolean needed = action == Action.disable ? !current.inMaintenance() : current.inMaintenance() || current.draining();
            steps.add(new Step(backend, current, needed));
        }
        return new Plan(action, server, steps);
    }

    public HaproxyServerChange disable(Plan plan, boolean dryRun) {
        requireAction(plan, Action.disable);
        Path socket = socket();
        List<Step> needed = plan.steps().stream().filter(Step::needed).toList();
        if (dryRun || needed.isEmpty()) {
            return result(plan, dryRun, null);
        }
        for (Step s : needed) {
            send(socket, "disable server " + s.backend() + "/" + plan.server());
        }
        return verify(plan, socket, needed);
    }

    /** @param settleWithin how long to wait for the server's health check before making it ready */
    public HaproxyServerChange enable(Plan plan, boolean dryRun, Duration settleWithin) {
        requireAction(plan, Action.enable);
        Path socket = socket();
        List<Step> needed = plan.steps().stream().filter(Step::needed).toList();
        if (dryRun || needed.isEmpty()) {
            return result(plan, dryRun, null);
        }
        for (Step s : needed) {
            send(socket, "set server " + s.backend() + "/" + plan.server() + " state drain");
        }
        awaitHealthCheck(socket, plan.server(), needed, settleWithin);
        for (Step s : needed) {
            send(socket, "set server " + s.backend() + "/" + plan.server() + " state ready");
        }
        return verify(plan, socket, needed);
    }

    private static void requireAction(Plan plan, Action action) {
        if (plan.action() != action) {
            throw new IllegalArgumentException("a plan to " + plan.action() + " given to " + action);
        }
    }

    private HaproxyServerChange verify(Plan plan, Path socket, List<Step> needed) {
        List<HaproxyServer> after = showStat(socket);
        for (Step s : needed) {
            HaproxyServer now = find(after, s.backend(), plan.server());
            boolean done = now != null && (plan.action() == Action.disable ? now.inMaintenance() : !now.inMaintenance() && !now.draining());
            if (!done) {
                throw new ConnectError(ConnectError.Kind.FAILURE, "HAProxy accepted " + plan.action() + " of " + s.backend() + "/"
                        + plan.server() + " but show stat reports it " + (now == null ? "gone" : now.status()));
            }
        }
        return result(plan, false, after);
    }

    /** The commands a step sends, in order. */
    static List<String> commands(Action action, String backend, String server) {
        String target = backend + "/" + server;
        return action == Action.disable ? List.of("disable server " + target)
                : List.of("set server " + target + " state drain", "set server " + target + " state ready");
    }

    private HaproxyServerChange result(Plan plan, boolean dryRun, List<HaproxyServer> after) {
        List<BackendChange> changes = new ArrayList<>();
        for (Step s : plan.steps()) {
            Outcome outcome;
            List<String> commands = s.needed() ? commands(plan.action(), s.backend(), plan.server()) : List.of();
            if (!s.needed()) {
                outcome = plan.action() == Action.disable ? Outcome.already_disabled : Outcome.already_enabled;
            } else if (dryRun) {
                outcome = Outcome.dry_run;
            } else {
                outcome = plan.action() == Action.disable ? Outcome.disabled : Outcome.enabled;
            }
            HaproxyServer now = after == null ? s.before() : find(after, s.backend(), plan.server());
            changes.add(new BackendChange(s.backend(), s.before().status(), now == null ? null : now.status(), commands, outcome));
        }
        return new HaproxyServerChange(plan.server(), plan.action().name(), dryRun, changes);
    }

    /**
     * Waits until each drained server's health check has decided: settled UP ("DRAIN") or DOWN.
     * "DRAIN 1/2" is a server HAProxy still assumes up; made ready then, it would take connections.
     */
    private void awaitHealthCheck(Path socket, String server, List<Step> steps, Duration settleWithin) {
        Instant deadline = Instant.now().plus(settleWithin);
        while (true) {
            List<HaproxyServer> now = showStat(socket);
            List<HaproxyServer> pending = steps.stream().map(s -> find(now, s.backend(), server))
                    .filter(s -> s == null || !(s.status().equals("DRAIN") || s.status().startsWith("DOWN"))).toList();
            if (pending.isEmpty()) {
                return;
            }
            if (Instant.now().isAfter(deadline)) {
                throw new ConnectError(ConnectError.Kind.FAILURE, String.join(", ", pending.stream()
                        .map(s -> s == null ? server + " (gone)" : s.backend() + "/" + s.server() + " (" + s.status() + ")").toList())
                        + " left in DRAIN, taking no new connections: its health check had not settled within "
                        + settleWithin.toMillis() + " ms; run enable again");
            }
            sleep(POLL);
        }
    }

    private void send(Path socket, String command) {
        String answer = HaproxySocket.command(socket, command, timeout).strip();
        if (!answer.isEmpty()) {
            throw new ConnectError(ConnectError.Kind.FAILURE, "HAProxy refused '" + command + "': " + answer.lines().findFirst().orElse(answer));
        }
    }

    private List<HaproxyServer> showStat(Path socket) {
        return HaproxyStats.parse(HaproxySocket.command(socket, "show stat", timeout));
    }

    private static HaproxyServer find(List<HaproxyServer> servers, String backend, String server) {
        return servers.stream().filter(s -> s.backend().equals(backend) && s.server().equals(server)).findFirst().orElse(null);
    }

    /** The admin socket, or why it cannot be used: this user must be able to read and write it. */
    private Path socket() {
        Path socket = Path.of(spec.statsSocket());
        String why = " enable and disable need HAProxy's admin socket (the stats page cannot change state)";
        if (!Files.exists(socket)) {
            throw new ConnectError(ConnectError.Kind.FAILURE, "HAProxy's admin socket " + socket + " does not exist (is HAProxy running on this host?):" + why);
        }
        if (!Files.isReadable(socket) || !Files.isWritable(socket)) {
            throw new ConnectError(ConnectError.Kind.FAILURE, "HAProxy's admin socket " + socket + " is not accessible to user "
                    + System.getProperty("user.name") + " (" + ownership(socket) + "):" + why + "; run as its owner");
        }
        return socket;
    }

    private static String ownership(Path socket) {
        try {
            return "owner " + Files.getOwner(socket).getName() + ", " + PosixFilePermissions.toString(Files.getPosixFilePermissions(socket));
        } catch (IOException | UnsupportedOperationException e) {
            return "permissions unknown";
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConnectError(ConnectError.Kind.FAILURE, "interrupted", e);
        }
    }
}
