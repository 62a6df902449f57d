package io.connectha.lab;

import io.connectha.process.ProcessController;

import io.connectha.error.ConnectError;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Finds the stack's programs, and names the Debian package that provides a missing one. */
public final class Programs {

    private static final Map<String, String> PACKAGES = Map.of(
            "haproxy", "haproxy",
            "pgbouncer", "pgbouncer",
            "etcd", "etcd-server",
            "etcdctl", "etcd-client",
            "patroni", "patroni",
            "setpriv", "util-linux");

    private Programs() {
    }

    /** The program on the clean PATH, or in {@code binDir} for PostgreSQL's own programs. */
    public static Path require(String program, Path binDir) {
        return find(program, binDir).orElseThrow(() -> new ConnectError(ConnectError.Kind.MISSING_PROGRAM,
                program + " is not installed (Debian package " + packageOf(program, binDir)
                        + "); run scripts/install-deps.sh"));
    }

    /** A system program that no Debian table above names: its package given here. */
    public static Path requireIn(String program, String debianPackage) {
        return find(program, null).orElseThrow(() -> new ConnectError(ConnectError.Kind.MISSING_PROGRAM,
                program + " is not installed (Debian package " + debianPackage + "); run scripts/install-deps.sh"));
    }

    public static Optional<Path> find(String program, Path binDir) {
        if (binDir != null && Files.isExecutable(binDir.resolve(program))) {
            return Optional.of(binDir.resolve(program));
        }
        for (String dir : ProcessController.CLEAN_PATH.split(":")) {
            Path p = Path.of(dir, program);
            if (Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    private static String packageOf(String program, Path binDir) {
        String pkg = PACKAGES.get(program);
        if (pkg != null) {
            return pkg;
        }
        String version = binDir == null ? "15" : binDir.getParent().getFileName().toString();
        return "postgresql-" + version;
    }

    public static List<String> stack() {
        return List.of("etcd", "etcdctl", "patroni", "haproxy", "pgbouncer");
    }
}
