package io.connectha.lab;

import io.connectha.cluster.ClusterFileLoader;
import io.connectha.cluster.ClusterSpec;
import io.connectha.cluster.EtcdSpec;
import io.connectha.cluster.MemberSpec;
import io.connectha.config.EnvFiles;
import io.connectha.config.PatroniConfigGenerator;
import io.connectha.error.ConnectError;
import io.connectha.process.ProcessController;
import io.connectha.process.ProcessController.ProcessSpec;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Process control: how each program of the lab runs, the pid files that say which processes are
 * the lab's, and starting or stopping one program at a time, as bring-up and the drills do.
 */
final class LabProcesses {

    private final LabLayout layout;
    private final ProcessController controller = new ProcessController();

    LabProcesses(LabLayout layout) {
        this.layout = layout;
    }

    ClusterSpec spec() {
        return new ClusterFileLoader().load(layout.clusterFile()).spec();
    }

    // ---------------------------------------------------------------- how each program runs

    ProcessSpec etcd(EtcdSpec.EtcdMemberSpec m) {
        return onItsHost(ProcessSpec.of(m.name(), layout.log(m.name()), false, "etcd", "--config-file",
                layout.config().resolve("etcd/" + m.name() + ".yml").toString()));
    }

    /** In a namespace lab, a process runs in its host's namespace; on loopback, in ours. */
    private ProcessSpec onItsHost(ProcessSpec p) {
        return LabNetwork.of(layout).map(n -> p.inNamespace(n.namespaceOf(p.name(), spec()))).orElse(p);
    }

    ProcessSpec patroni(MemberSpec m) {
        Map<String, String> env;
        try {
            env = EnvFiles.parse(Files.readString(layout.config().resolve(PatroniConfigGenerator.ENV_FILE)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return onItsHost(ProcessSpec.of(LabNames.patroni(m), layout.log(LabNames.patroni(m)), true, "patroni",
                layout.config().resolve("patroni/" + m.name() + ".yml").toString()).withEnv(env));
    }

    /** In the foreground ({@code -db}) under our control, so the pid we hold is HAProxy's own. */
    ProcessSpec haproxy() {
        return onItsHost(ProcessSpec.of("haproxy", layout.log("haproxy"), false, "haproxy", "-db", "-f",
                layout.config().resolve("haproxy/haproxy.cfg").toString()));
    }

    ProcessSpec pgbouncer() {
        return onItsHost(ProcessSpec.of("pgbouncer", layout.log("pgbouncer"), true, "pgbouncer",
                layout.config().resolve("pgbouncer/pgbouncer.ini").toString()));
    }

    // ---------------------------------------------------------------- starting and stopping

    /** Starts a program and records its pid in {@code run/NAME.pid}. */
    long start(ProcessSpec spec) {
        ProcessController.Started s = controller.start(spec);
        try {
            new PidFile(spec.name(), s.pid()).write(layout.run());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the pid file of " + spec.name(), e);
        }
        return s.pid();
    }

    /** A helper command run to completion (chown, an access check, pg_ctl stop); its output goes to its log. */
    ProcessController.Result run(ProcessSpec spec, Duration timeout) {
        return controller.run(spec, timeout);
    }

    /** See {@link Lab#startProcess}. */
    long startProcess(String name) {
        ClusterSpec spec = spec();
        Optional<Long> running = pidOf(name);
        if (running.isPresent()) {
            return running.get();
        }
        ProcessSpec ps = spec.etcd().members().stream().filter(e -> e.name().equals(name)).findFirst().map(this::etcd)
                .or(() -> spec.members().stream().filter(m -> LabNames.patroni(m).equals(name)).findFirst().map(this::patroni))
                .or(() -> name.equals("haproxy") ? Optional.of(haproxy()) : Optional.empty())
                .or(() -> name.equals("pgbouncer") ? Optional.of(pgbouncer()) : Optional.empty())
                .orElseThrow(() -> ConnectError.invalidInput("no process '" + name + "' that the lab starts itself"));
        return start(ps);
    }

    /** See {@link Lab#stopProcess}. */
    Optional<Long> stopProcess(String name, boolean kill) {
        ClusterSpec spec = spec();
        Optional<Long> pid = spec.members().stream().filter(m -> LabNames.postgres(m).equals(name)).findFirst()
                .map(this::postmasterPid).orElseGet(() -> pidOf(name));
        pid.ifPresent(p -> {
            if (kill) {
                ProcessHandle.of(p).ifPresent(ProcessHandle::destroyForcibly);
                ProcessController.awaitReady(name + " gone", Duration.ofSeconds(10), Duration.ofMillis(20), () -> !ProcessController.isAlive(p));
            } else {
                ProcessController.stop(p, Duration.ofSeconds(30));
            }
        });
        return pid;
    }

    /** See {@link Lab#freeze}. */
    List<Long> freeze(String name) {
        List<Long> pids = frozenSet(name);
        if (pids.isEmpty()) {
            throw new ConnectError(ConnectError.Kind.FAILURE, "cannot freeze " + name + ": it is not running");
        }
        // the parent first, so that it forks nothing new while its children are being stopped
        if (!ProcessController.signal("STOP", pids)) {
            ProcessController.signal("CONT", pids);
            throw new ConnectError(ConnectError.Kind.FAILURE, "cannot freeze " + name + " (pids " + pids + ")");
        }
        return pids;
    }

    /** See {@link Lab#thaw}. */
    void thaw(String name) {
        ProcessController.signal("CONT", frozenSet(name));
    }

    /** Continues every process of the lab that a freeze may have stopped: before tear-down, so that each can stop. */
    void thawAll() {
        ClusterSpec spec = spec();
        List<Long> pids = new java.util.ArrayList<>();
        spec.members().forEach(m -> postmasterPid(m).ifPresent(p -> pids.addAll(ProcessController.tree(p))));
        LabNames.started(spec).forEach(n -> pidOf(n).ifPresent(pids::add));
        ProcessController.signal("CONT", pids.stream().filter(ProcessController::isStopped).toList());
    }

    /** What a freeze of {@code name} stops: for postgres-NAME the postmaster and every backend, otherwise the one process. */
    private List<Long> frozenSet(String name) {
        ClusterSpec spec = spec();
        Optional<MemberSpec> postgres = spec.members().stream().filter(m -> LabNames.postgres(m).equals(name)).findFirst();
        if (postgres.isPresent()) {
            return postmasterPid(postgres.get()).map(ProcessController::tree).orElse(List.of());
        }
        boolean known = LabNames.started(spec).contains(name);
        if (!known) {
            throw ConnectError.invalidInput("no process '" + name + "' in the lab");
        }
        return pidOf(name).map(List::of).orElse(List.of());
    }

    /** See {@link Lab#pgCtlStop}. */
    boolean pgCtlStop(String member) {
        ClusterSpec spec = spec();
        MemberSpec m = spec.member(member).orElseThrow(() -> ConnectError.invalidInput("no member '" + member + "' in the lab"));
        return pgCtlStop(spec.postgresql().binDir(), m, Duration.ofSeconds(30));
    }

    /** {@code pg_ctl stop -m fast}, waiting up to {@code wait} for the server to go; true when pg_ctl reports success. */
    boolean pgCtlStop(String binDir, MemberSpec m, Duration wait) {
        return run(ProcessSpec.of("pg_ctl-stop-" + m.name(), layout.log("lab"), true, binDir + "/pg_ctl",
                "stop", "-D", m.dataDir(), "-m", "fast", "-w", "-t", Long.toString(wait.toSeconds())), wait.plusSeconds(10)).ok();
    }

    // ---------------------------------------------------------------- which processes are the lab's

    /** The pid in {@code run/NAME.pid}, if that process is the lab's. */
    Optional<Long> pidOf(String name) {
        return PidFile.read(layout.run().resolve(name + ".pid")).filter(p -> p.isOurs(layout.dir())).map(PidFile::pid);
    }

    /** Patroni starts PostgreSQL itself; its pid is the first line of postmaster.pid. */
    Optional<Long> postmasterPid(MemberSpec m) {
        Path file = Path.of(m.dataDir(), "postmaster.pid");
        try {
            if (!Files.isRegularFile(file)) {
                return Optional.empty();
            }
            long pid = Long.parseLong(Files.readAllLines(file).get(0).strip());
            return PidFile.belongsTo(pid, layout.dir()) ? Optional.of(pid) : Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The pid in run/NAME.pid if that process is ours; the file is removed either way. */
    Optional<Long> takePidFile(String name) {
        Path file = layout.run().resolve(name + ".pid");
        Optional<Long> pid = PidFile.read(file).filter(p -> p.isOurs(layout.dir())).map(PidFile::pid);
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return pid;
    }

    /** Removes pid files that name a dead process or somebody else's: what a crash or a reboot leaves. */
    void clearStalePidFiles() {
        if (!Files.isDirectory(layout.run())) {
            return;
        }
        try (Stream<Path> files = Files.list(layout.run())) {
            for (Path f : files.filter(p -> p.toString().endsWith(".pid")).toList()) {
                if (PidFile.read(f).map(p -> !p.isOurs(layout.dir())).orElse(true)) {
                    Files.deleteIfExists(f);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
