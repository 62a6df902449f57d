package io.connectha.lab;

import io.connectha.process.ProcessController;

import io.connectha.cluster.ClusterFileLoader;
import io.connectha.cluster.ClusterSpec;
import io.connectha.cluster.EtcdSpec;
import io.connectha.cluster.LoadedCluster;
import io.connectha.cluster.MemberSpec;
import io.connectha.cluster.SecretName;
import io.connectha.cluster.SecretResolver;
import io.connectha.config.ConfigFileWriter;
import io.connectha.config.ConfigGenerationService;
import io.connectha.config.EnvFiles;
import io.connectha.error.ConnectError;
import io.connectha.process.ProcessController.ProcessSpec;
import io.connectha.net.Http;
import io.connectha.patroni.PatroniClient;
import io.connectha.patroni.PatroniCluster;
import io.connectha.config.PatroniConfigGenerator;
import io.connectha.patroni.PatroniMember;
import io.connectha.pg.PgConnector;
import io.connectha.process.Progress;
import org.jdbi.v3.core.Handle;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The whole stack on one machine: etcd, one Patroni per member managing PostgreSQL 15, HAProxy
 * and PgBouncer, all on loopback. {@link #up} returns only when the cluster is truly ready;
 * {@link #down} stops everything it started, by pid, and checks that no port stays bound.
 */
public final class Lab {

    private static final String MARKER = "# Written by `connect ha lab up`";
    private static final Duration PROBE_TIMEOUT = Duration.ofMillis(300);

    private final LabLayout layout;
    private final Progress progress;
    private final ProcessController processes = new ProcessController();
    private final PgConnector pg = new PgConnector(Duration.ofSeconds(2), Duration.ofSeconds(5));

    public Lab(Path dir, Progress progress) {
        this.layout = new LabLayout(dir.toAbsolutePath().normalize());
        this.progress = progress;
    }

    public LabLayout layout() {
        return layout;
    }

    /** The lab whose cluster file this is, if it is one that `lab up` wrote; faults act only on such a lab's processes. */
    public static Optional<Lab> of(java.nio.file.Path clusterFile, Progress progress) {
        java.nio.file.Path dir = clusterFile.toAbsolutePath().getParent();
        try {
            if (dir != null && Files.isRegularFile(clusterFile) && Files.readString(clusterFile).startsWith(MARKER)) {
                return Optional.of(new Lab(dir, progress));
            }
        } catch (IOException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    // ---------------------------------------------------------------- up

    public LabStatus up(LabOptions options) {
        Instant begin = Instant.now();
        requirePrograms();
        if (Files.isRegularFile(layout.clusterFile())) {
            LabStatus current = status();
            if (current.allRunning()) {
                if (!LabClusterFile.render(options).equals(readClusterFile())) {
                    throw ConnectError.invalidInput("a lab with other options is running in " + layout.dir()
                            + "; run `connect ha lab down --dir " + layout.dir() + "` first, or choose another --dir");
                }
                progress.info("A lab is already running in " + layout.dir() + "; nothing started.");
                return new LabStatus(current.dir(), current.clusterFile(), current.processes(), true);
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
        clearStalePidFiles();

        LoadedCluster cluster = prepare(options);
        ClusterSpec spec = cluster.spec();
        requireFreePorts(spec);
        try {
            if (options.plain()) {
                new PlainLab(layout, progress).start(cluster);
            } else {
                startEtcd(spec);
                startPatroni(cluster);
                startHaproxy(cluster);
            }
            startPgbouncer(cluster);
        } catch (RuntimeException e) {
            progress.warn("lab up failed; stopping what it started (logs stay in " + layout.logs() + ")");
            down(false);
            throw e;
        }
        progress.step("Lab ready: " + spec.members().size() + " members, " + (options.plain() ? "plain streaming replication"
                : spec.etcd().members().size() + " etcd"), Duration.between(begin, Instant.now()));
        progress.info("");
        progress.info("Use it:");
        progress.info("  export CONNECT_CLUSTER=" + layout.clusterFile());
        progress.info("  connect ha config show");
        progress.info("  connect ha lab status        # processes, pids, whether each answers");
        progress.info("  connect ha lab logs NAME -f  # " + (options.plain() ? String.join(", ", logs().keySet())
                : String.join(", ", processNames(spec))));
        progress.info("  connect ha lab down --dir " + layout.dir() + "   # stop it (--purge to delete " + layout.dir() + ")");
        return status();
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
            throw new UncheckedIOException("cannot prepare " + layout.dir() + ": " + e.getMessage(), e);
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

    private String readClusterFile() {
        try {
            return Files.readString(layout.clusterFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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
        for (Map.Entry<String, String> e : listeners(spec).entrySet()) {
            String[] hp = e.getValue().split(":");
            if (ProcessController.isListening(hp[0], Integer.parseInt(hp[1]), PROBE_TIMEOUT)) {
                throw new ConnectError(ConnectError.Kind.FAILURE, "port " + e.getValue() + " (for " + e.getKey()
                        + ") is already in use; stop what holds it or choose another --port-base");
            }
        }
    }

    private void startEtcd(ClusterSpec spec) {
        Instant t = Instant.now();
        for (EtcdSpec.EtcdMemberSpec m : spec.etcd().members()) {
            start(etcdSpec(m));
        }
        try (Http http = new Http(Duration.ofMillis(500), Duration.ofSeconds(1))) {
            for (EtcdSpec.EtcdMemberSpec m : spec.etcd().members()) {
                await(m.name() + " healthy", Duration.ofSeconds(30), m.name(), () ->
                        http.get(m.clientUrl() + "/health", "etcd", m.host() + ":" + m.clientPort()).body().contains("\"true\""));
            }
        }
        progress.step("etcd: " + spec.etcd().members().size() + " member(s) healthy", Duration.between(t, Instant.now()));
    }

    private void startPatroni(LoadedCluster cluster) {
        ClusterSpec spec = cluster.spec();
        Instant t = Instant.now();
        for (MemberSpec m : spec.members()) {
            start(patroniSpec(m));
        }
        MemberSpec[] leader = new MemberSpec[1];
        try (Http http = new Http(Duration.ofMillis(500), Duration.ofSeconds(2))) {
            PatroniClient patroni = new PatroniClient(http);
            await("Patroni: one leader and every member running", Duration.ofSeconds(90), patroniName(spec.members().get(0)), () -> {
                PatroniCluster c = anyAnswer(spec, patroni);
                Optional<PatroniMember> l = c.leader();
                boolean allRunning = c.members().size() == spec.members().size() && c.members().stream().allMatch(PatroniMember::isRunning);
                l.ifPresent(member -> leader[0] = spec.member(member.name()).orElse(null));
                return l.isPresent() && allRunning && leader[0] != null;
            });
        }
        progress.step("Patroni: leader " + leader[0].name() + ", " + spec.members().size() + " member(s) running", Duration.between(t, Instant.now()));

        Instant s = Instant.now();
        Set<String> replicas = new HashSet<>();
        spec.members().stream().filter(m -> !m.name().equals(leader[0].name())).forEach(m -> replicas.add(m.name()));
        String password = new SecretResolver(cluster).password(SecretName.superuser);
        // Patroni calls a rejoined member "running" before it streams: ask the leader itself
        await("every replica streaming (pg_stat_replication on " + leader[0].name() + ")", Duration.ofSeconds(60), patroniName(leader[0]), () -> {
            try (Handle h = pg.open(superuserEndpoint(spec, leader[0]), password)) {
                List<String> streaming = h.createQuery("SELECT application_name FROM pg_stat_replication WHERE state = 'streaming'")
                        .mapTo(String.class).list();
                return streaming.containsAll(replicas);
            }
        });
        progress.step("Replication: " + replicas.size() + " replica(s) streaming from " + leader[0].name(), Duration.between(s, Instant.now()));
    }

    private static PatroniCluster anyAnswer(ClusterSpec spec, PatroniClient patroni) {
        ConnectError last = null;
        for (MemberSpec m : spec.members()) {
            try {
                return patroni.cluster(m);
            } catch (ConnectError e) {
                last = e;
            }
        }
        throw last;
    }

    private void startHaproxy(LoadedCluster cluster) {
        ClusterSpec spec = cluster.spec();
        Instant t = Instant.now();
        // foreground (-db) under our control, so the pid we hold is HAProxy's own
        start(haproxySpec());
        String password = new SecretResolver(cluster).password(SecretName.superuser);
        String leader = currentLeaderHost(spec);
        PgConnector.Endpoint write = new PgConnector.Endpoint("HAProxy write port", spec.haproxy().host(), spec.haproxy().writePort(),
                "postgres", spec.postgresql().superuser());
        await("HAProxy routing writes to the leader", Duration.ofSeconds(30), "haproxy", () -> {
            try (Handle h = pg.open(write, password)) {
                return leader.equals(h.createQuery("SELECT host(inet_server_addr())").mapTo(String.class).one())
                        && !h.createQuery("SELECT pg_is_in_recovery()").mapTo(Boolean.class).one();
            }
        });
        if (spec.members().size() > 1) {
            PgConnector.Endpoint read = new PgConnector.Endpoint("HAProxy read port", spec.haproxy().host(), spec.haproxy().readPort(),
                    "postgres", spec.postgresql().superuser());
            await("HAProxy routing reads to replicas", Duration.ofSeconds(30), "haproxy", () -> {
                try (Handle h = pg.open(read, password)) {
                    return h.createQuery("SELECT pg_is_in_recovery()").mapTo(Boolean.class).one();
                }
            });
        }
        progress.step("HAProxy: writes reach the leader" + (spec.members().size() > 1 ? ", reads reach replicas" : ""), Duration.between(t, Instant.now()));
    }

    private String currentLeaderHost(ClusterSpec spec) {
        try (Http http = new Http(Duration.ofMillis(500), Duration.ofSeconds(2))) {
            PatroniCluster c = anyAnswer(spec, new PatroniClient(http));
            return c.leader().flatMap(l -> spec.member(l.name())).map(MemberSpec::host)
                    .orElseThrow(() -> new ConnectError(ConnectError.Kind.FAILURE, "the cluster lost its leader during lab up"));
        }
    }

    private void startPgbouncer(LoadedCluster cluster) {
        ClusterSpec spec = cluster.spec();
        Instant t = Instant.now();
        start(pgbouncerSpec());
        String password = new SecretResolver(cluster).password(SecretName.app);
        PgConnector.Endpoint app = new PgConnector.Endpoint("PgBouncer", spec.pgbouncer().host(), spec.pgbouncer().port(),
                spec.postgresql().database(), spec.postgresql().appUser());
        await("PgBouncer answering the app user", Duration.ofSeconds(30), "pgbouncer", () -> {
            try (Handle h = pg.openPooled(app, password)) {
                return h.createQuery("SELECT 1").mapTo(Integer.class).one() == 1;
            }
        });
        progress.step("PgBouncer: the app logs in through it to the leader", Duration.between(t, Instant.now()));
    }

    private ProcessSpec etcdSpec(EtcdSpec.EtcdMemberSpec m) {
        return ProcessSpec.of(m.name(), layout.log(m.name()), false, "etcd", "--config-file",
                layout.config().resolve("etcd/" + m.name() + ".yml").toString());
    }

    private ProcessSpec patroniSpec(MemberSpec m) {
        Map<String, String> env;
        try {
            env = EnvFiles.parse(Files.readString(layout.config().resolve(PatroniConfigGenerator.ENV_FILE)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return ProcessSpec.of(patroniName(m), layout.log(patroniName(m)), true, "patroni",
                layout.config().resolve("patroni/" + m.name() + ".yml").toString()).withEnv(env);
    }

    private ProcessSpec haproxySpec() {
        return ProcessSpec.of("haproxy", layout.log("haproxy"), false, "haproxy", "-db", "-f",
                layout.config().resolve("haproxy/haproxy.cfg").toString());
    }

    private ProcessSpec pgbouncerSpec() {
        return ProcessSpec.of("pgbouncer", layout.log("pgbouncer"), true, "pgbouncer",
                layout.config().resolve("pgbouncer/pgbouncer.ini").toString());
    }

    // ---------------------------------------------------------------- one process at a time (faults, drills)

    /**
     * Starts one stopped process of a running lab again: etcdN, patroni-NAME, haproxy or pgbouncer.
     * PostgreSQL is Patroni's to start.
     */
    public long startProcess(String name) {
        ClusterSpec spec = new ClusterFileLoader().load(layout.clusterFile()).spec();
        Optional<Long> running = pidOf(name);
        if (running.isPresent()) {
            return running.get();
        }
        ProcessSpec ps = spec.etcd().members().stream().filter(e -> e.name().equals(name)).findFirst().map(this::etcdSpec)
                .or(() -> spec.members().stream().filter(m -> patroniName(m).equals(name)).findFirst().map(this::patroniSpec))
                .or(() -> name.equals("haproxy") ? Optional.of(haproxySpec()) : Optional.empty())
                .or(() -> name.equals("pgbouncer") ? Optional.of(pgbouncerSpec()) : Optional.empty())
                .orElseThrow(() -> ConnectError.invalidInput("no process '" + name + "' that the lab starts itself"));
        return start(ps);
    }

    /**
     * Stops one process: gracefully (SIGTERM, then SIGKILL after the grace) or, with {@code kill},
     * at once with SIGKILL. For postgres-NAME the postmaster is signalled; Patroni may restart it.
     * Returns the pid stopped, if it was running.
     */
    public Optional<Long> stopProcess(String name, boolean kill) {
        ClusterSpec spec = new ClusterFileLoader().load(layout.clusterFile()).spec();
        Optional<Long> pid = spec.members().stream().filter(m -> postgresName(m).equals(name)).findFirst()
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

    /**
     * {@code pg_ctl stop -m fast} on one member's PostgreSQL, as an operator would: behind Patroni's back.
     * Returns whether pg_ctl reported success.
     */
    public boolean pgCtlStop(String member) {
        ClusterSpec spec = new ClusterFileLoader().load(layout.clusterFile()).spec();
        MemberSpec m = spec.member(member).orElseThrow(() -> ConnectError.invalidInput("no member '" + member + "' in the lab"));
        return processes.run(ProcessSpec.of("pg_ctl-stop-" + m.name(), layout.log("lab"), true, spec.postgresql().binDir() + "/pg_ctl",
                "stop", "-D", m.dataDir(), "-m", "fast", "-w", "-t", "30"), Duration.ofSeconds(40)).ok();
    }

    private long start(ProcessSpec spec) {
        ProcessController.Started s = processes.start(spec);
        try {
            new PidFile(spec.name(), s.pid()).write(layout.run());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the pid file of " + spec.name(), e);
        }
        return s.pid();
    }

    private void await(String what, Duration deadline, String logOf, ProcessController.Probe probe) {
        try {
            ProcessController.awaitReady(what, deadline, Duration.ofMillis(200), probe);
        } catch (ConnectError e) {
            throw new ConnectError(ConnectError.Kind.FAILURE, e.getMessage() + "; see " + layout.log(logOf), e);
        }
    }

    private static PgConnector.Endpoint superuserEndpoint(ClusterSpec spec, MemberSpec m) {
        return new PgConnector.Endpoint("PostgreSQL on " + m.name(), m.host(), m.port(), "postgres", spec.postgresql().superuser());
    }

    static String patroniName(MemberSpec m) {
        return "patroni-" + m.name();
    }

    static String postgresName(MemberSpec m) {
        return "postgres-" + m.name();
    }

    private static List<String> processNames(ClusterSpec spec) {
        List<String> names = new ArrayList<>();
        spec.etcd().members().forEach(e -> names.add(e.name()));
        spec.members().forEach(m -> names.add(patroniName(m)));
        names.add("haproxy");
        names.add("pgbouncer");
        return names;
    }

    /** Every address the lab listens on, by the name of what listens there. */
    private static Map<String, String> listeners(ClusterSpec spec) {
        Map<String, String> l = new LinkedHashMap<>();
        spec.etcd().members().forEach(e -> {
            l.put(e.name(), e.host() + ":" + e.clientPort());
            l.put(e.name() + " (peer)", e.host() + ":" + e.peerPort());
        });
        spec.members().forEach(m -> {
            l.put(postgresName(m), m.address());
            l.put(patroniName(m), m.restAddress());
        });
        l.put("haproxy", spec.haproxy().writeAddress());
        l.put("haproxy (read)", spec.haproxy().readAddress());
        l.put("haproxy (stats)", spec.haproxy().statsHost() + ":" + spec.haproxy().statsPort());
        l.put("pgbouncer", spec.pgbouncer().address());
        return l;
    }

    // ---------------------------------------------------------------- status

    public LabStatus status() {
        if (!Files.isRegularFile(layout.clusterFile())) {
            throw ConnectError.invalidInput("no lab in " + layout.dir() + " (no cluster.yaml); start one with `connect ha lab up`");
        }
        ClusterSpec spec = new ClusterFileLoader().load(layout.clusterFile()).spec();
        // a plain lab starts only PostgreSQL and PgBouncer
        boolean plain = LabClusterFile.isPlain(readClusterFile());
        Map<String, String> listeners = listeners(spec);
        List<LabProcess> list = new ArrayList<>();
        if (!plain) {
            spec.etcd().members().forEach(e -> list.add(process(e.name(), "etcd", listeners.get(e.name()), pidOf(e.name()))));
        }
        for (MemberSpec m : spec.members()) {
            if (!plain) {
                list.add(process(patroniName(m), "patroni", listeners.get(patroniName(m)), pidOf(patroniName(m))));
            }
            list.add(process(postgresName(m), "postgres", m.address(), postmasterPid(m)));
        }
        if (!plain) {
            list.add(process("haproxy", "haproxy", listeners.get("haproxy"), pidOf("haproxy")));
        }
        list.add(process("pgbouncer", "pgbouncer", listeners.get("pgbouncer"), pidOf("pgbouncer")));
        return new LabStatus(layout.dir().toString(), layout.clusterFile().toString(), list, false);
    }

    private LabProcess process(String name, String program, String address, Optional<Long> pid) {
        boolean running = pid.isPresent();
        String[] hp = address.split(":");
        boolean answering = ProcessController.isListening(hp[0], Integer.parseInt(hp[1]), PROBE_TIMEOUT);
        return new LabProcess(name, program, pid.orElse(null), running, address, answering);
    }

    private Optional<Long> pidOf(String name) {
        return PidFile.read(layout.run().resolve(name + ".pid")).filter(p -> p.isOurs(layout.dir())).map(PidFile::pid);
    }

    /** Patroni starts PostgreSQL itself; its pid is the first line of postmaster.pid. */
    private Optional<Long> postmasterPid(MemberSpec m) {
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

    private void clearStalePidFiles() {
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

    // ---------------------------------------------------------------- down

    /** Stops every process of the lab: terminate, then kill after a deadline; PostgreSQL too, since it outlives Patroni. */
    public LabDownReport down(boolean purge) {
        Instant t = Instant.now();
        List<String> stopped = new ArrayList<>();
        ClusterSpec spec = Files.isRegularFile(layout.clusterFile()) ? new ClusterFileLoader().load(layout.clusterFile()).spec() : null;
        if (spec != null) {
            stopByPidFile("pgbouncer", Duration.ofSeconds(10), stopped);
            stopByPidFile("haproxy", Duration.ofSeconds(10), stopped);
            // Patronis together: each stops its PostgreSQL, and those shutdowns may overlap
            List<Long> patronis = new ArrayList<>();
            for (MemberSpec m : spec.members()) {
                takePidFile(patroniName(m)).ifPresent(pid -> {
                    patronis.add(pid);
                    stopped.add(patroniName(m));
                });
            }
            ProcessController.stopAll(patronis, Duration.ofSeconds(30));
            for (MemberSpec m : spec.members()) {
                postmasterPid(m).ifPresent(pid -> {
                    stopPostgres(spec.postgresql().binDir(), m, pid);
                    stopped.add(postgresName(m));
                });
            }
            for (EtcdSpec.EtcdMemberSpec e : spec.etcd().members()) {
                stopByPidFile(e.name(), Duration.ofSeconds(10), stopped);
            }
        }
        // whatever a lost pid file would have left: the stack's programs that name this directory
        for (long pid : PidFile.orphansOf(layout.dir())) {
            ProcessController.stop(pid, Duration.ofSeconds(10));
            stopped.add("pid " + pid);
        }
        List<Long> survivors = PidFile.orphansOf(layout.dir());
        List<String> bound = spec == null ? List.of() : boundPorts(spec);
        clearStalePidFiles();
        boolean purged = false;
        if (purge && survivors.isEmpty() && bound.isEmpty()) {
            purged = purge();
        } else if (purge) {
            progress.warn("not removing " + layout.dir() + ": something of the lab is still running");
        }
        progress.step("Lab down: stopped " + (stopped.isEmpty() ? "nothing (nothing was running)" : String.join(", ", stopped))
                + (purged ? "; removed " + layout.dir() : ""), Duration.between(t, Instant.now()));
        return new LabDownReport(layout.dir().toString(), stopped, bound, survivors, purged);
    }

    private void stopByPidFile(String name, Duration grace, List<String> stopped) {
        takePidFile(name).ifPresent(pid -> {
            ProcessController.stop(pid, grace);
            stopped.add(name);
        });
    }

    /** The pid in run/NAME.pid if that process is ours; the file is removed either way. */
    private Optional<Long> takePidFile(String name) {
        Path file = layout.run().resolve(name + ".pid");
        Optional<Long> pid = PidFile.read(file).filter(p -> p.isOurs(layout.dir())).map(PidFile::pid);
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return pid;
    }

    private void stopPostgres(String binDir, MemberSpec m, long pid) {
        ProcessController.Result r = processes.run(ProcessSpec.of("pg_ctl-stop-" + m.name(), layout.log("lab"), true,
                binDir + "/pg_ctl", "stop", "-D", m.dataDir(), "-m", "fast", "-w", "-t", "20"), Duration.ofSeconds(30));
        if (!r.ok() || PidFile.belongsTo(pid, layout.dir())) {
            ProcessController.stop(pid, Duration.ofSeconds(5));
        }
    }

    /** Ports still bound after stopping: waits a little, since a closing listener can linger briefly. */
    private static List<String> boundPorts(ClusterSpec spec) {
        List<String> bound = new ArrayList<>();
        Instant until = Instant.now().plusSeconds(10);
        do {
            bound.clear();
            for (String address : listeners(spec).values()) {
                String[] hp = address.split(":");
                if (ProcessController.isListening(hp[0], Integer.parseInt(hp[1]), Duration.ofMillis(100))) {
                    bound.add(address);
                }
            }
            if (bound.isEmpty()) {
                break;
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        } while (Instant.now().isBefore(until));
        return bound;
    }

    private boolean purge() {
        if (!Files.exists(layout.dir())) {
            return false;
        }
        try {
            // only what lab up made: its cluster file carries the marker
            if (!Files.isRegularFile(layout.clusterFile()) || !Files.readString(layout.clusterFile()).startsWith(MARKER)) {
                throw ConnectError.invalidInput(layout.dir() + " does not look like a lab directory (no cluster.yaml written by lab up); not removing it");
            }
            try (Stream<Path> walk = Files.walk(layout.dir())) {
                for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + layout.dir() + ": " + e.getMessage(), e);
        }
    }

    // ---------------------------------------------------------------- logs

    /** Every process's log file, by process name. */
    public Map<String, Path> logs() {
        Map<String, Path> logs = new LinkedHashMap<>();
        if (!Files.isDirectory(layout.logs())) {
            return logs;
        }
        try (Stream<Path> files = Files.list(layout.logs())) {
            files.filter(p -> p.toString().endsWith(".log")).sorted()
                    .forEach(p -> logs.put(p.getFileName().toString().replaceFirst("\\.log$", ""), p));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return logs;
    }
}
