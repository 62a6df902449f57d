package io.connectha.process;

import io.connectha.error.ConnectError;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Starts, waits for and stops the stack's programs: one way of running them for the lab, the
 * demo and the tests. Each process writes stdout and stderr to its own log file.
 *
 * <p>PostgreSQL, Patroni and PgBouncer refuse to run as root. When we are root they run as the
 * {@code postgres} OS user through {@code setpriv} (which execs, so the pid we get is the
 * program's own), with a clean environment: root's PATH here leads to another Python than the
 * one Patroni's Debian package uses.
 */
public final class ProcessController {

    public static final String CLEAN_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
    private static final String POSTGRES_HOME = "/var/lib/postgresql";

    /**
     * What to run.
     *
     * @param asPostgres run as the postgres OS user (when we are root)
     * @param env        added to the clean environment
     * @param netns       the network namespace to run in ({@code ip netns exec}), or null for ours
     */
    public record ProcessSpec(String name, List<String> command, Map<String, String> env, Path workDir, Path logFile,
                              boolean asPostgres, String netns) {
        public ProcessSpec {
            command = List.copyOf(command);
            env = Map.copyOf(env);
        }

        /** In our own network namespace. */
        public ProcessSpec(String name, List<String> command, Map<String, String> env, Path workDir, Path logFile, boolean asPostgres) {
            this(name, command, env, workDir, logFile, asPostgres, null);
        }

        public static ProcessSpec of(String name, Path logFile, boolean asPostgres, String... command) {
            return new ProcessSpec(name, List.of(command), Map.of(), null, logFile, asPostgres, null);
        }

        public ProcessSpec withEnv(Map<String, String> more) {
            Map<String, String> all = new LinkedHashMap<>(env);
            all.putAll(more);
            return new ProcessSpec(name, command, all, workDir, logFile, asPostgres, netns);
        }

        /** The same program in a network namespace: {@code ip netns exec} enters it, then execs, so the pid stays the program's. */
        public ProcessSpec inNamespace(String namespace) {
            return new ProcessSpec(name, command, env, workDir, logFile, asPostgres, namespace);
        }

    }

    /** A process we started: its pid and log. */
    public record Started(String name, long pid, Path logFile, Instant startedAt) {
    }

    /**
     * Whether the process exists and has not exited. A zombie counts as gone: a postmaster whose
     * Patroni was killed is reparented, and PID 1 in a container may reap it late or never.
     */
    public static boolean isAlive(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // pid (comm) STATE ...: comm may hold spaces and parentheses, so read after the last ')'
            char state = stat.substring(stat.lastIndexOf(')') + 2).charAt(0);
            return state != 'Z' && state != 'X';
        } catch (IOException | RuntimeException e) {
            // no /proc/PID on Linux means gone; without /proc at all, ask the JDK
            return !Files.isDirectory(Path.of("/proc")) && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
        }
    }

    /** A finished one-shot command. */
    public record Result(int exitCode, String output) {
        public boolean ok() {
            return exitCode == 0;
        }
    }

    public Started start(ProcessSpec spec) {
        Process process = launch(spec);
        return new Started(spec.name(), process.pid(), spec.logFile(), Instant.now());
    }

    /** Runs a command to completion (killing it at the deadline); its output is returned and appended to its log. */
    public Result run(ProcessSpec spec, Duration timeout) {
        Process process = launch(spec);
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                throw new ConnectError(ConnectError.Kind.FAILURE,
                        spec.name() + " did not finish within " + timeout.toSeconds() + " s; see " + spec.logFile());
            }
            return new Result(process.exitValue(), Files.readString(spec.logFile()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new ConnectError(ConnectError.Kind.FAILURE, "interrupted while running " + spec.name(), e);
        } catch (IOException e) {
            throw new ConnectError(ConnectError.Kind.FAILURE, "cannot read the log of " + spec.name() + ": " + e.getMessage(), e);
        }
    }

    private Process launch(ProcessSpec spec) {
        List<String> command = new ArrayList<>();
        if (spec.netns() != null) {
            // entered first, as root: the user switch below would take away the right to enter it
            command.addAll(List.of("ip", "netns", "exec", spec.netns()));
        }
        boolean switchUser = spec.asPostgres() && isRoot();
        if (switchUser) {
            command.addAll(List.of("setpriv", "--reuid=postgres", "--regid=postgres", "--init-groups", "--"));
        }
        command.addAll(spec.command());
        ProcessBuilder pb = new ProcessBuilder(command);
        Map<String, String> env = pb.environment();
        env.clear();
        env.put("PATH", CLEAN_PATH);
        env.put("LANG", "C.UTF-8");
        env.put("LC_ALL", "C.UTF-8");
        if (switchUser) {
            env.put("HOME", POSTGRES_HOME);
            env.put("USER", "postgres");
            env.put("LOGNAME", "postgres");
        } else {
            env.put("HOME", System.getProperty("user.home"));
        }
        env.putAll(spec.env());
        if (spec.workDir() != null) {
            pb.directory(spec.workDir().toFile());
        } else if (switchUser) {
            pb.directory(Path.of("/").toFile());
        }
        pb.redirectErrorStream(true);
        pb.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        try {
            Files.createDirectories(spec.logFile().getParent());
            pb.redirectOutput(ProcessBuilder.Redirect.appendTo(spec.logFile().toFile()));
            return pb.start();
        } catch (IOException e) {
            throw new ConnectError(ConnectError.Kind.MISSING_PROGRAM, "cannot start " + spec.name() + " ("
                    + spec.command().get(0) + "): " + e.getMessage(), e);
        }
    }

    /**
     * Polls {@code probe} every {@code interval} until it answers true or the deadline passes. A
     * probe that throws counts as "not yet". On timeout the error names what was awaited.
     */
    public static Duration awaitReady(String what, Duration deadline, Duration interval, Probe probe) {
        Instant start = Instant.now();
        Instant end = start.plus(deadline);
        String last = "";
        while (true) {
            try {
                if (probe.ready()) {
                    return Duration.between(start, Instant.now());
                }
            } catch (Exception e) {
                last = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            }
            if (Instant.now().isAfter(end)) {
                throw new ConnectError(ConnectError.Kind.FAILURE, what + " not ready within " + deadline.toSeconds() + " s"
                        + (last.isEmpty() ? "" : ": " + last.lines().findFirst().orElse(last)));
            }
            sleep(interval);
        }
    }

    @FunctionalInterface
    public interface Probe {
        boolean ready() throws Exception;
    }

    /**
     * Stops a process: SIGTERM, then SIGKILL after {@code grace}. True when it is gone. Works for
     * any pid we may signal, not only our own children, so that a new JVM can stop a lab.
     */
    public static boolean stop(long pid, Duration grace) {
        Optional<ProcessHandle> handle = ProcessHandle.of(pid);
        if (handle.isEmpty() || !isAlive(pid)) {
            return true;
        }
        ProcessHandle h = handle.get();
        h.destroy();
        wakeIfStopped(List.of(pid));
        if (waitGone(h, grace)) {
            return true;
        }
        h.destroyForcibly();
        return waitGone(h, Duration.ofSeconds(5));
    }

    /**
     * Sends a signal by name (STOP, CONT, ...) to each pid that is alive; Java has no API for any but TERM and KILL.
     * True when kill(1) succeeded for all of them.
     */
    public static boolean signal(String signal, java.util.Collection<Long> pids) {
        List<String> alive = pids.stream().filter(ProcessController::isAlive).map(String::valueOf).toList();
        if (alive.isEmpty()) {
            return true;
        }
        List<String> command = new ArrayList<>(List.of("kill", "-" + signal));
        command.addAll(alive);
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return false;
            }
            return p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** A process frozen by SIGSTOP (a drill's freeze fault) holds SIGTERM until it is continued: continue it. */
    private static void wakeIfStopped(List<Long> pids) {
        List<Long> stopped = pids.stream().filter(ProcessController::isStopped).toList();
        if (!stopped.isEmpty()) {
            signal("CONT", stopped);
        }
    }

    /** Whether the process is stopped by a signal (state T). */
    public static boolean isStopped(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            return stat.substring(stat.lastIndexOf(')') + 2).charAt(0) == 'T';
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** The process and every descendant of it that is alive, parents first. */
    public static List<Long> tree(long pid) {
        List<Long> all = new ArrayList<>();
        ProcessHandle.of(pid).ifPresent(h -> {
            all.add(h.pid());
            h.descendants().forEach(d -> all.add(d.pid()));
        });
        return all;
    }

    /** Stops several processes at once: all get SIGTERM together, so their shutdowns overlap. */
    public static void stopAll(java.util.Collection<Long> pids, Duration grace) {
        List<ProcessHandle> handles = pids.stream().map(ProcessHandle::of).flatMap(Optional::stream)
                .filter(h -> isAlive(h.pid())).toList();
        handles.forEach(ProcessHandle::destroy);
        wakeIfStopped(handles.stream().map(ProcessHandle::pid).toList());
        Instant until = Instant.now().plus(grace);
        for (ProcessHandle h : handles) {
            Duration left = Duration.between(Instant.now(), until);
            if (!waitGone(h, left.isNegative() ? Duration.ZERO : left)) {
                h.destroyForcibly();
                waitGone(h, Duration.ofSeconds(5));
            }
        }
    }

    private static boolean waitGone(ProcessHandle h, Duration timeout) {
        Instant until = Instant.now().plus(timeout);
        while (isAlive(h.pid())) {
            if (Instant.now().isAfter(until)) {
                return false;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return !isAlive(h.pid());
            }
        }
        return true;
    }

    /** True when something accepts TCP connections at host:port within the timeout. */
    public static boolean isListening(String host, int port, Duration timeout) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), (int) timeout.toMillis());
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    public static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
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
