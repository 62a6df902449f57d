package io.connectha.lab;

import io.connectha.cluster.ClusterFileLoader;
import io.connectha.cluster.ClusterSpec;
import io.connectha.cluster.EtcdSpec;
import io.connectha.cluster.LoadedCluster;
import io.connectha.cluster.MemberSpec;
import io.connectha.cluster.SecretName;
import io.connectha.cluster.SecretResolver;
import io.connectha.config.ConfigFileWriter;
import io.connectha.config.ConfigGenerationService;
import io.connectha.error.ConnectError;
import io.connectha.process.ProcessController;
import io.connectha.process.ProcessController.ProcessSpec;
import io.connectha.process.Progress;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Bring-up: refuses a directory where another or a partial lab runs, writes the cluster file,
 * secrets and every config, then starts etcd, Patroni, HAProxy and PgBouncer in that order, each
 * only once the step before is ready (see {@link LabReadiness}). On failure it tears down what it
 * started.
 */
final class LabBringUp {

    private final LabLayout layout;
    private final Progress progress;
    private final LabProcesses processes;
    private final LabStatusReader status;
    private final LabTeardown teardown;

    LabBringUp(LabLayout layout, Progress progress, LabProcesses processes, LabStatusReader status, LabTeardown teardown) {
        this.layout = layout;
        this.progress = progress;
        this.processes = processes;
        this.status = status;
        this.teardown = teardown;
    }

    /** See {@link Lab#up}. */
    LabStatus up(LabOptions options) {
        Instant begin = Instant.now();
        requirePrograms();
        if (Files.isRegularFile(layout.clusterFile())) {
            LabStatus current = status.status();
            if (current.allRunning()) {
                if (!LabClusterFile.render(options).equals(LabClusterFile.read(layout))) {
                    throw ConnectError.invalidInput("a lab with other options is running in " + layout.dir()
                            + "; run `connect ha lab down --dir " + layout.dir() + "` first, or choose another --dir");
                }
                progress.info("A lab is already running in " + layout.dir() + "; nothing started.");
                return current.withAlreadyRunning();
            }
            List<String> running = current.processes().stream().filter(LabProcess::running).map(LabProcess::name).toList();
            if (!running.isEmpty()) {
                throw new ConnectError(ConnectError.Kind.FAILURE, "a lab in " + layout.dir() + " is partly running ("
                        + String.join(", ", running) + "); run `connect ha lab down --dir " + layout.dir() + "` first");
            }
        }
        List<Long> orphans = PidFile.orphansOf(layout.dir());
        if (!orphans.isEmpty()) {
            throw new ConnectError(ConnectError.Kind.FAILURE, "processes of an earlier lab in " + layout.dir()
                    + " are still running (pids " + orphans + "); run `connect ha lab down --dir " + layout.dir() + "` first");
        }
        processes.clearStalePidFiles();

        if (options.namespaces()) {
            LabNetwork.requireCanCreate(options.subnet());
        }
        LoadedCluster cluster = prepare(options);
        ClusterSpec spec = cluster.spec();
        if (!options.namespaces()) {
            // fresh namespaces hold nothing; the range was checked to be unused
            requireFreePorts(spec);
        }
        LabReadiness readiness = new LabReadiness(layout, cluster);
        try {
            if (options.namespaces()) {
                Instant n = Instant.now();
                LabNetwork network = new LabNetwork(layout, options.subnet());
                network.create(spec);
                progress.step("Network: " + (spec.members().size() + 1) + " hosts in namespaces on " + options.subnet() + ", bridge "
                        + network.bridge(), Duration.between(n, Instant.now()));
            }
            if (options.plain()) {
                new PlainLab(layout, progress).start(cluster);
            } else {
                startEtcd(spec, readiness);
                startPatroni(spec, readiness);
                startHaproxy(spec, readiness);
            }
            startPgbouncer(readiness);
        } catch (RuntimeException e) {
            progress.warn("lab up failed; stopping what it started (logs stay in " + layout.logs() + ")");
            teardown.down(false);
            throw e;
        }
        progress.step("Lab ready: " + spec.members().size() + " members, " + (options.plain() ? "plain streaming replication"
                : spec.etcd().members().size() + " etcd"), Duration.between(begin, Instant.now()));
        progress.info("");
        progress.info("Use it:");
        progress.info("  export CONNECT_CLUSTER=" + layout.clusterFile());
        progress.info("  connect ha config show");
        progress.info("  connect ha lab status        # processes, pids, whether each answers");
        progress.info("  connect ha lab logs NAME -f  # " + (options.plain() ? String.join(", ", status.logs().keySet())
                : String.join(", ", LabNames.started(spec))));
        progress.info("  connect ha lab down --dir " + layout.dir() + "   # stop it (--purge to delete " + layout.dir() + ")");
        return status.status();
    }

    private void requirePrograms() {
        for (String p : Programs.stack()) {
            Programs.require(p, null);
        }
        Programs.require("postgres", Path.of("/usr/lib/postgresql/15/bin"));
        if (ProcessController.isRoot()) {
            Programs.require("setpriv", null);
        }
    }

    // ---------------------------------------------------------------- the directory and its files

    /** Writes the cluster file, secrets and every config; makes the directories postgres needs. */
    private LoadedCluster prepare(LabOptions options) {
        try {
            Files.createDirectories(layout.dir());
            Set<Path> dirs = Set.of(layout.secrets(), layout.config(), layout.data(), layout.etcdData(), layout.logs(),
                    layout.run(), layout.sockets());
            for (Path d : dirs) {
                Files.createDirectories(d);
            }
            Files.setPosixFilePermissions(layout.secrets(), PosixFilePermissions.fromString("rwx------"));
            String text = LabClusterFile.render(options);
            if (Files.isRegularFile(layout.clusterFile())) {
                String previous = Files.readString(layout.clusterFile());
                if (!previous.equals(text) && hasData()) {
                    throw ConnectError.invalidInput(layout.dir() + " holds a lab made with other options; run `connect ha lab down --purge --dir "
                            + layout.dir() + "` first, or choose another --dir");
                }
            }
            ConfigFileWriter.writeAtomically(layout.clusterFile(), text, PosixFilePermissions.fromString("rw-r--r--"));
            SecureRandom random = new SecureRandom();
            for (SecretName s : SecretName.values()) {
                Path file = layout.secrets().resolve(s.name());
                if (!Files.exists(file)) {
                    byte[] bytes = new byte[24];
                    random.nextBytes(bytes);
                    ConfigFileWriter.writeAtomically(file, Base64.getUrlEncoder().withoutPadding().encodeToString(bytes) + "\n",
                            PosixFilePermissions.fromString("rw-------"));
                }
            }
        } catch (IOException e) {
            throw io.connectha.error.ConnectError.io("prepare", layout.dir(), e);
        }
        LoadedCluster cluster = new ClusterFileLoader().load(layout.clusterFile());
        Instant t = Instant.now();
        new ConfigGenerationService(cluster, new SecretResolver(cluster), new ConfigFileWriter())
                .write(new ConfigGenerationService.Request(List.of(), layout.config(), null, Map.of()));
        for (Path p : List.of(layout.config(), layout.data(), layout.sockets())) {
            giveToPostgres(p);
        }
        requirePostgresCanWrite(layout.data());
        progress.step("Cluster file, secrets and configs in " + layout.dir(), Duration.between(t, Instant.now()));
        return cluster;
    }

    /** Whether PostgreSQL or etcd data of an earlier lab is here. */
    private boolean hasData() throws IOException {
        for (Path dir : List.of(layout.data(), layout.etcdData())) {
            if (Files.isDirectory(dir)) {
                try (Stream<Path> s = Files.list(dir)) {
                    if (s.findAny().isPresent()) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    private void giveToPostgres(Path path) {
        if (!ProcessController.isRoot()) {
            return;
        }
        ProcessController.Result r = processes.run(ProcessSpec.of("chown", layout.log("lab"), false,
                "chown", "-R", "postgres:postgres", path.toString()), Duration.ofSeconds(30));
        if (!r.ok()) {
            throw new ConnectError(ConnectError.Kind.FAILURE, "cannot give " + path + " to the postgres user; see " + layout.log("lab"));
        }
    }

    private void requirePostgresCanWrite(Path dir) {
        if (!ProcessController.isRoot()) {
            return;
        }
        ProcessController.Result r = processes.run(ProcessSpec.of("access-check", layout.log("lab"), true,
                "test", "-w", dir.toString()), Duration.ofSeconds(10));
        if (!r.ok()) {
            throw ConnectError.invalidInput("the postgres OS user cannot write " + dir
                    + ": a parent directory is not searchable by others; choose a --dir such as /tmp/connect-lab");
        }
    }

    private void requireFreePorts(ClusterSpec spec) {
        for (Map.Entry<String, String> e : LabNames.listeners(spec).entrySet()) {
            if (LabNames.isListening(e.getValue(), LabStatusReader.PROBE_TIMEOUT)) {
                throw new ConnectError(ConnectError.Kind.FAILURE, "port " + e.getValue() + " (for " + e.getKey()
                        + ") is already in use; stop what holds it or choose another --port-base");
            }
        }
    }

    // ---------------------------------------------------------------- the stack, in order

    private void startEtcd(ClusterSpec spec, LabReadiness readiness) {
        Instant t = Instant.now();
        for (EtcdSpec.EtcdMemberSpec m : spec.etcd().members()) {
            processes.start(processes.etcd(m));
        }
        readiness.awaitEtcdHealthy();
        progress.step("etcd: " + spec.etcd().members().size() + " member(s) healthy", Duration.between(t, Instant.now()));
    }

    private void startPatroni(ClusterSpec spec, LabReadiness readiness) {
        Instant t = Instant.now();
        for (MemberSpec m : spec.members()) {
            processes.start(processes.patroni(m));
        }
        MemberSpec leader = readiness.awaitPatroniLeader();
        progress.step("Patroni: leader " + leader.name() + ", " + spec.members().size() + " member(s) running", Duration.between(t, Instant.now()));

        Instant s = Instant.now();
        Set<String> replicas = readiness.awaitReplicasStreaming(leader);
        progress.step("Replication: " + replicas.size() + " replica(s) streaming from " + leader.name(), Duration.between(s, Instant.now()));
    }

    private void startHaproxy(ClusterSpec spec, LabReadiness readiness) {
        Instant t = Instant.now();
        processes.start(processes.haproxy());
        readiness.awaitHaproxyWritesToLeader();
        if (spec.members().size() > 1) {
            readiness.awaitHaproxyReadsToReplicas();
        }
        progress.step("HAProxy: writes reach the leader" + (spec.members().size() > 1 ? ", reads reach replicas" : ""), Duration.between(t, Instant.now()));
    }

    private void startPgbouncer(LabReadiness readiness) {
        Instant t = Instant.now();
        processes.start(processes.pgbouncer());
        readiness.awaitPgbouncerAnswers();
        progress.step("PgBouncer: the app logs in through it to the leader", Duration.between(t, Instant.now()));
    }
}
