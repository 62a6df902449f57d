package io.connectha.cluster;

import io.connectha.error.ConnectError;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads passwords from the sources the cluster file names. Values are returned to the caller only;
 * they are never logged and never part of an exception message.
 */
public final class SecretResolver {

    private final LoadedCluster cluster;
    private final Map<String, String> environment;

    public SecretResolver(LoadedCluster cluster, Map<String, String> environment) {
        this.cluster = cluster;
        this.environment = environment;
    }

    public SecretResolver(LoadedCluster cluster) {
        this(cluster, System.getenv());
    }

    /** The password, or an error naming where it was looked for. */
    public String password(SecretName name) {
        SecretSource source = cluster.spec().secrets().get(name);
        Optional<String> value = lookup(name, source);
        String password = value.orElseThrow(() -> ConnectError.invalidInput(
                "secret " + name + " not found: " + missing(source)));
        if (Placeholders.isPlaceholder(password)) {
            throw ConnectError.invalidInput("secret " + name + " from " + where(source) + " is a placeholder password");
        }
        return password;
    }

    private Optional<String> lookup(SecretName name, SecretSource source) {
        if (source.env() != null) {
            return Optional.ofNullable(environment.get(source.env())).filter(v -> !v.isEmpty());
        }
        if (source.file() != null) {
            Path path = resolvePath(cluster.file(), source.file());
            if (!Files.isRegularFile(path)) {
                return Optional.empty();
            }
            requirePrivate(path);
            try {
                return Optional.of(firstLine(path));
            } catch (IOException e) {
                throw ConnectError.invalidInput("cannot read secret file " + path + ": " + e.getMessage());
            }
        }
        return pgpass(name);
    }

    private String missing(SecretSource source) {
        if (source.env() != null) {
            return "environment variable " + source.env() + " is not set";
        }
        if (source.file() != null) {
            return "file " + resolvePath(cluster.file(), source.file()) + " does not exist";
        }
        return PgpassFile.defaultPath(environment) + " has no matching entry";
    }

    /** Lookup in the pgpass file (PGPASSFILE, else ~/.pgpass) for the role behind the secret, on any member of the cluster. */
    private Optional<String> pgpass(SecretName name) {
        ClusterSpec spec = cluster.spec();
        String user = switch (name) {
            case superuser -> spec.postgresql().superuser();
            case replication -> spec.postgresql().replicationUser();
            case app -> spec.postgresql().appUser();
            case pgbouncer_admin -> spec.pgbouncer().adminUser();
            case rest_api -> spec.patroni().restUser();
            case haproxy_stats -> spec.haproxy().statsUser();
        };
        String database = name == SecretName.replication ? "replication" : spec.postgresql().database();
        Path path = PgpassFile.defaultPath(environment);
        if (!Files.isRegularFile(path)) {
            return Optional.empty();
        }
        requirePrivate(path);
        PgpassFile pgpass = PgpassFile.read(path);
        for (MemberSpec m : spec.members()) {
            Optional<String> found = pgpass.find(m.host(), m.port(), database, user);
            if (found.isPresent()) {
                return found;
            }
        }
        return pgpass.find("*", spec.postgresql().port(), database, user);
    }

    static Path resolvePath(Path clusterFile, String path) {
        Path p = Path.of(path.startsWith("~/") ? System.getProperty("user.home") + path.substring(1) : path);
        if (p.isAbsolute()) {
            return p;
        }
        Path dir = clusterFile.toAbsolutePath().getParent();
        return dir == null ? p : dir.resolve(p);
    }

    static String firstLine(Path path) throws IOException {
        List<String> lines = Files.readAllLines(path);
        return lines.isEmpty() ? "" : lines.get(0).strip();
    }

    private static void requirePrivate(Path path) {
        Set<PosixFilePermission> permissions;
        try {
            permissions = Files.getPosixFilePermissions(path);
        } catch (IOException e) {
            throw ConnectError.invalidInput("cannot check secret file " + path + ": " + e.getMessage());
        }
        String problem = notPrivate(path, permissions);
        if (problem != null) {
            throw ConnectError.invalidInput(problem);
        }
    }

    /**
     * Why a secret file with these permissions is refused, in words ("has mode 0640: readable by its group"),
     * or null when it is 0600 or stricter. The loader's check and the resolver's say the same.
     */
    public static String notPrivate(Path path, Set<PosixFilePermission> permissions) {
        String problem = exposure(permissions);
        return problem == null ? null : "secret file " + path + " has mode " + mode(permissions) + ": " + problem
                + "; it must be 0600 or stricter (chmod 600 " + path + ")";
    }

    /** What is wrong with a secret file's mode, in words ("readable by its group"), or null when it is private. */
    static String exposure(Set<PosixFilePermission> permissions) {
        String group = abilities(permissions, "GROUP");
        String others = abilities(permissions, "OTHERS");
        if (group.isEmpty() && others.isEmpty()) {
            return null;
        }
        if (group.equals(others)) {
            return group + " by its group and by others";
        }
        return group.isEmpty() ? others + " by others"
                : others.isEmpty() ? group + " by its group"
                : group + " by its group, " + others + " by others";
    }

    private static String abilities(Set<PosixFilePermission> permissions, String who) {
        List<String> can = new java.util.ArrayList<>();
        if (permissions.contains(PosixFilePermission.valueOf(who + "_READ"))) {
            can.add("readable");
        }
        if (permissions.contains(PosixFilePermission.valueOf(who + "_WRITE"))) {
            can.add("writable");
        }
        if (permissions.contains(PosixFilePermission.valueOf(who + "_EXECUTE"))) {
            can.add("executable");
        }
        return String.join(" and ", can);
    }

    private static String mode(Set<PosixFilePermission> permissions) {
        int mode = 0;
        for (PosixFilePermission p : permissions) {
            mode |= 1 << (8 - p.ordinal());
        }
        return String.format("%04o", mode);
    }

    /** Where a source is, for messages: the pgpass file by the path libpq would use, PGPASSFILE included. */
    private String where(SecretSource source) {
        return source.env() == null && source.file() == null ? PgpassFile.defaultPath(environment).toString() : source.describe();
    }
}
