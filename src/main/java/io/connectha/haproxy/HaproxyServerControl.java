package io.connectha.haproxy;


import io.connectha.cluster.HaproxySpec;
import io.connectha.cluster.MemberSpec;
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

    /** Which backends a change applies to: the write and/or read backend, by the names the cluster file gives them. */
    public enum Backends {
        write, read, all;

        public List<String> names(HaproxySpec spec) {
            return switch (this) {
                case write -> List.of(spec.writeBackend());
                case read -> List.of(spec.readBackend());
                case all -> List.of(spec.writeBackend(), spec.readBackend());
            };
        }
    }

    /** HAProxy's CLI splits on ';' and spaces: only plain names may reach it (HAProxy's own identifiers allow ':'). */
    private static final Pattern SERVER_NAME = Pattern.compile("[A-Za-z0-9_.:-]{1,63}");
    /** What the operator may name a server by: a server or member name, or an address (an IPv6 one in brackets). */
    private static final Pattern SERVER_ARGUMENT = Pattern.compile("[A-Za-z0-9_.:\\[\\]-]{1,100}");
    private static final Duration POLL = Duration.ofMillis(100);

    /**
     * One backend's part of a change: where the server stands now, and whether it needs anything sent.
     * {@code before.server()} is HAProxy's name for it in this backend, which the commands use.
     */
    public record Step(String backend, HaproxyServer before, boolean needed) {
    }

    /**
     * What a change would do, before it does it: the command asks for confirmation in between.
     *
     * @param server       as the operator named it
     * @param writeBackend the name of the write backend
     */
    public record Plan(Action action, String server, List<Step> steps, String writeBackend) {

        /** Disabling the server in the write backend, where it is not already out of service. */
        public boolean touchesWrites() {
            return action == Action.disable && steps.stream()
                    .anyMatch(s -> s.needed() && s.backend().equals(writeBackend));
        }

        /** The server is the one UP in the write backend: disabling it cuts new writes. */
        public boolean carriesWrites() {
            return steps.stream().anyMatch(s -> s.backend().equals(writeBackend) && s.before().up());
        }
    }

    private final HaproxySpec spec;
    private final List<MemberSpec> members;
    private final Duration timeout;

    /** @param timeout for each command on the socket */
    public HaproxyServerControl(HaproxySpec spec, Duration timeout) {
        this(spec, List.of(), timeout);
    }

    /**
     * @param members the cluster file's members: a server may be named by the member at its address
     * @param timeout for each command on the socket
     */
    public HaproxyServerControl(HaproxySpec spec, List<MemberSpec> members, Duration timeout) {
        this.spec = spec;
        this.members = List.copyOf(members);
        this.timeout = timeout;
    }

    /**
     * @param server HAProxy's name for the server, the name of the member at its address, or its address (host:port):
     *               a hand-written haproxy.cfg may call member db-a {@code pg_node1}, and differently in each backend
     */
    public Plan plan(Action action, String server, Backends backends) {
        if (!SERVER_ARGUMENT.matcher(server).matches()) {
            throw ConnectError.invalidInput("server name '" + server.replaceAll("\\p{Cntrl}", "?")
                    + "' is not a plain name (letters, digits, '_', '.', '-') nor an address (host:port)");
        }
        Path socket = socket();
        String csv = HaproxySocket.command(socket, "show stat", timeout);
        List<HaproxyServer> all = HaproxyStats.parse(csv);
        List<String> known = HaproxyStats.backends(csv);
        List<Step> steps = new ArrayList<>();
        for (String backend : backends.names(spec)) {
            if (!known.isEmpty() && !known.contains(backend)) {
                throw ConnectError.invalidInput("HAProxy has no backend '" + backend + "' (" + field(backend)
                        + " in the cluster file); it has: " + String.join(", ", known));
            }
            HaproxyServer current = resolve(all, backend, server);
            if (current == null) {
                throw ConnectError.invalidInput("HAProxy has no server '" + server + "' in backend " + backend + " (it has: "
                        + String.join(", ", all.stream().filter(s -> s.backend().equals(backend)).map(this::describe).toList()) + ")");
            }
            if (!SERVER_NAME.matcher(current.server()).matches()) {
                throw ConnectError.invalidInput("HAProxy's server name '" + current.server().replaceAll("\\p{Cntrl}", "?")
                        + "' in backend " + backend + " cannot be sent on its admin socket safely");
            }
            boolean needed = action == Action.disable ? !current.inMaintenance() : current.inMaintenance() || current.draining();
            steps.add(new Step(backend, current, needed));
        }
        return new Plan(action, server, steps, spec.writeBackend());
    }

    private String field(String backend) {
        return backend.equals(spec.writeBackend()) ? "haproxy.write_backend" : "haproxy.read_backend";
    }

    private String describe(HaproxyServer s) {
        if (s.address() == null) {
            return s.server();
        }
        String member = HaproxyMembers.memberOf(s, members).map(MemberSpec::name).orElse(null);
        return s.server() + " at " + s.address() + (member == null || member.equals(s.server()) ? "" : " (member " + member + ")");
    }

    /** By HAProxy's name first; then the server at the member's address, or at the address given. */
    private HaproxyServer resolve(List<HaproxyServer> all, String backend, String server) {
        HaproxyServer byName = find(all, backend, server);
        if (byName != null) {
            return byName;
        }
        List<HaproxyServer> in = all.stream().filter(s -> s.backend().equals(backend) && s.address() != null).toList();
        String address = members.stream().filter(m -> m.name().equals(server)).map(MemberSpec::address).findFirst().orElse(server);
        String wanted = HaproxyMembers.normalize(address);
        return in.stream().filter(s -> HaproxyMembers.normalize(s.address()).equals(wanted)).findFirst().orElse(null);
    }

    public HaproxyServerChange disable(Plan plan, boolean dryRun) {
        requireAction(plan, Action.disable);
        Path socket = socket();
        List<Step> needed = plan.steps().stream().filter(Step::needed).toList();
        if (dryRun || needed.isEmpty()) {
            return result(plan, dryRun, null);
        }
        for (Step s : needed) {
            send(socket, "disable server " + s.backend() + "/" + s.before().server());
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
            send(socket, "set server " + s.backend() + "/" + s.before().server() + " state drain");
        }
        awaitHealthCheck(socket, needed, settleWithin);
        for (Step s : needed) {
            send(socket, "set server " + s.backend() + "/" + s.before().server() + " state ready");
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
            HaproxyServer now = find(after, s.backend(), s.before().server());
            boolean done = now != null && (plan.action() == Action.disable ? now.inMaintenance() : !now.inMaintenance() && !now.draining());
            if (!done) {
                throw new ConnectError(ConnectError.Kind.FAILURE, "HAProxy accepted " + plan.action() + " of " + s.backend() + "/"
                        + s.before().server() + " but show stat reports it " + (now == null ? "gone" : now.status()));
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
            List<String> commands = s.needed() ? commands(plan.action(), s.backend(), s.before().server()) : List.of();
            if (!s.needed()) {
                outcome = plan.action() == Action.disable ? Outcome.already_disabled : Outcome.already_enabled;
            } else if (dryRun) {
                outcome = Outcome.dry_run;
            } else {
                outcome = plan.action() == Action.disable ? Outcome.disabled : Outcome.enabled;
            }
            HaproxyServer now = after == null ? s.before() : find(after, s.backend(), s.before().server());
            changes.add(new BackendChange(s.backend(), s.before().status(), now == null ? null : now.status(), commands, outcome,
                    s.before().server()));
        }
        return new HaproxyServerChange(plan.server(), plan.action().name(), dryRun, changes);
    }

    /**
     * Waits until each drained server's health check has decided: settled UP ("DRAIN") or DOWN.
     * "DRAIN 1/2" is a server HAProxy still assumes up; made ready then, it would take connections.
     */
    private void awaitHealthCheck(Path socket, List<Step> steps, Duration settleWithin) {
        String server = steps.get(0).before().server();
        Instant deadline = Instant.now().plus(settleWithin);
        while (true) {
            List<HaproxyServer> now = showStat(socket);
            List<HaproxyServer> pending = steps.stream().map(s -> find(now, s.backend(), s.before().server()))
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
