package io.connectha.replication;

import io.connectha.cluster.ClusterSpec;
import io.connectha.config.ConfigFileWriter;
import io.connectha.error.ConnectError;
import io.connectha.process.ProcessController;
import io.connectha.process.ProcessController.ProcessSpec;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * PostgreSQL's own programs (pg_ctl, pg_basebackup, pg_rewind) on this machine, always as the
 * postgres OS user, with their output in one log per program under {@code logDir}.
 */
public final class PostgresControl {

    private final String binDir;
    private final Path logDir;
    private final ProcessController processes = new ProcessController();

    /** @param logDir where logs go; null for {@code logs} next to each data directory */
    public PostgresControl(String binDir, Path logDir) {
        this.binDir = binDir;
        this.logDir = logDir;
    }

    /** The default log directory: {@code logs} next to the data directory, where the postgres user may write. */
    public static Path defaultLogDir(Path dataDir) {
        Path parent = dataDir.toAbsolutePath().getParent();
        return (parent == null ? Path.of("/tmp") : parent).resolve("logs");
    }

    /** The log directory given, or {@code logs} next to the data directory. */
    public Path logDir(Path dataDir) {
        return logDir != null ? logDir : defaultLogDir(dataDir);
    }

    public String program(String name) {
        return binDir + "/" + name;
    }

    public Path log(Path dataDir, String name) {
        return logDir(dataDir).resolve(name + ".log");
    }

    public ProcessController.Result run(Path dataDir, String logName, Map<String, String> env, Duration timeout, String... command) {
        ensureLogDir(logDir(dataDir));
        return processes.run(ProcessSpec.of(logName, log(dataDir, logName), true, command).withEnv(env), timeout);
    }

    /** Runs and fails with the end of its log when the program fails. */
    public void runOrFail(String what, Path dataDir, String logName, Map<String, String> env, Duration timeout, String... command) {
        ProcessController.Result r = run(dataDir, logName, env, timeout, command);
        if (!r.ok()) {
            throw new ConnectError(ConnectError.Kind.FAILURE, what + " failed (exit " + r.exitCode() + "): "
                    + lastLine(r.output()) + "; see " + log(dataDir, logName));
        }
    }

    /** Starts the server in {@code dataDir} with pg_ctl, waiting until it accepts connections. */
    public void start(String member, Path dataDir, Duration timeout) {
        runOrFail("pg_ctl start of " + member + " (server log " + log(dataDir, "postgresql-" + member) + ")", dataDir, "pg_ctl-" + member, Map.of(), timeout.plusSeconds(10), program("pg_ctl"), "start",
                "-D", dataDir.toString(), "-w", "-t", Long.toString(timeout.toSeconds()), "-l", log(dataDir, "postgresql-" + member).toString());
    }

    /** A fast, clean shutdown: pg_rewind needs the target shut down cleanly. */
    public void stop(String member, Path dataDir, Duration timeout) {
        runOrFail("pg_ctl stop of " + member, dataDir, "pg_ctl-" + member, Map.of(), timeout.plusSeconds(10), program("pg_ctl"), "stop",
                "-D", dataDir.toString(), "-w", "-m", "fast", "-t", Long.toString(timeout.toSeconds()));
    }

    public void restart(String member, Path dataDir, Duration timeout) {
        runOrFail("pg_ctl restart of " + member, dataDir, "pg_ctl-" + member, Map.of(), timeout.plusSeconds(10), program("pg_ctl"), "restart",
                "-D", dataDir.toString(), "-w", "-m", "fast", "-t", Long.toString(timeout.toSeconds()),
                "-l", log(dataDir, "postgresql-" + member).toString());
    }

    /** Whether a postmaster runs in {@code dataDir}: its pid file names a live process. */
    public static boolean running(Path dataDir) {
        Path pidFile = dataDir.resolve("postmaster.pid");
        try {
            if (!Files.isReadable(pidFile)) {
                return false;
            }
            String first = Files.readAllLines(pidFile).stream().findFirst().orElse("").strip();
            return !first.isEmpty() && ProcessController.isAlive(Long.parseLong(first));
        } catch (IOException | NumberFormatException e) {
            return false;
        }
    }

    /**
     * A libpq passfile, mode 0600 and owned by postgres, matching any host: the same file keeps
     * working after a failover changes which member is upstream.
     */
    public static void writePassfile(Path file, String user, String password) {
        String line = "*:*:*:" + escape(user) + ":" + escape(password) + "\n";
        try {
            if (Files.isRegularFile(file) && Files.readString(file).equals(line)) {
                return;
            }
            Files.createDirectories(file.toAbsolutePath().getParent());
            ConfigFileWriter.writeAtomically(file, line, PosixFilePermissions.fromString("rw-------"));
            giveToPostgres(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write passfile " + file + ": " + e.getMessage(), e);
        }
    }

    private static String escape(String s) {
        return s.replace("\\", "\\\\").replace(":", "\\:");
    }

    /** Hands a path to the postgres OS user when we run as root; as any other user it is ours already. */
    public static void giveToPostgres(Path path) throws IOException {
        if (!ProcessController.isRoot()) {
            return;
        }
        UserPrincipalLookupService lookup = path.getFileSystem().getUserPrincipalLookupService();
        UserPrincipal user = lookup.lookupPrincipalByName("postgres");
        GroupPrincipal group = lookup.lookupPrincipalByGroupName("postgres");
        List<Path> all = new ArrayList<>();
        if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
            try (Stream<Path> walk = Files.walk(path)) {
                walk.forEach(all::add);
            }
        } else {
            all.add(path);
        }
        for (Path p : all) {
            PosixFileAttributeView view = Files.getFileAttributeView(p, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
            view.setOwner(user);
            view.setGroup(group);
        }
    }

    /**
     * Makes a data directory a standby of {@code conninfo}: standby.signal and the member's own
     * settings last in postgresql.auto.conf, where they win over the postgresql.conf that
     * pg_basebackup or pg_rewind copied from the upstream (its port and address are not ours).
     */
    public static void writeStandbySettings(Path dataDir, Map<String, String> settings) {
        Path auto = dataDir.resolve("postgresql.auto.conf");
        try {
            List<String> kept = new ArrayList<>();
            if (Files.isRegularFile(auto)) {
                for (String line : Files.readAllLines(auto)) {
                    String key = line.contains("=") ? line.substring(0, line.indexOf('=')).strip() : "";
                    if (!settings.containsKey(key)) {
                        kept.add(line);
                    }
                }
            }
            StringBuilder sb = new StringBuilder();
            kept.forEach(l -> sb.append(l).append('\n'));
            settings.forEach((k, v) -> sb.append(k).append(" = '").append(v.replace("'", "''")).append("'\n"));
            ConfigFileWriter.writeAtomically(auto, sb.toString(), PosixFilePermissions.fromString("rw-------"));
            Path signal = dataDir.resolve("standby.signal");
            if (!Files.exists(signal)) {
                Files.writeString(signal, "");
            }
            giveToPostgres(auto);
            giveToPostgres(signal);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the standby settings in " + dataDir + ": " + e.getMessage(), e);
        }
    }

    /** What a standby of {@code upstream} needs of its own, from the cluster file. */
    public static Map<String, String> standbySettings(ClusterSpec spec, io.connectha.cluster.MemberSpec member,
                                                      io.connectha.cluster.MemberSpec upstream) {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("listen_addresses", member.host());
        s.put("port", Integer.toString(member.port()));
        s.put("unix_socket_directories", spec.postgresql().unixSocketDir());
        s.put("cluster_name", spec.name() + "-" + member.name());
        s.put("hot_standby", "on");
        s.put("primary_conninfo", io.connectha.pg.PostgresSettings.primaryConninfo(spec, member, upstream));
        s.put("primary_slot_name", member.slotName());
        s.put("recovery_target_timeline", "latest");
        return s;
    }

    private static void ensureLogDir(Path logDir) {
        try {
            if (!Files.isDirectory(logDir)) {
                Files.createDirectories(logDir);
                giveToPostgres(logDir);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create log directory " + logDir + ": " + e.getMessage(), e);
        }
    }

    static String lastLine(String output) {
        List<String> lines = output.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
        return lines.isEmpty() ? "(no output)" : lines.get(lines.size() - 1);
    }
}
