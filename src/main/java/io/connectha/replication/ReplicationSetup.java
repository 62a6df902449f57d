package io.connectha.replication;

import io.connectha.cluster.ClusterSpec;
import io.connectha.cluster.MemberSpec;
import io.connectha.cluster.PostgresSpec;
import io.connectha.cluster.SecretName;
import io.connectha.config.ConfigFileWriter;
import io.connectha.error.ConnectError;
import io.connectha.pg.HbaRules;
import io.connectha.pg.RoleSql;
import io.connectha.pg.ScramVerifier;
import io.connectha.pg.Sql;
import io.connectha.units.Units;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Prepares a primary for streaming replication: the replication role, one physical slot per
 * standby, the WAL settings, and pg_hba lines. Every step first looks at what is there, so a
 * second run finds nothing to do.
 */
public final class ReplicationSetup {

    /** What setup did (or, with dry run, would do). Passwords appear nowhere in it. */
    public record Result(String primary, boolean dryRun, List<String> sql, String hbaFile, boolean hbaOnThisMachine,
                         List<String> hbaLinesAdded, String hbaBackup, List<String> pendingRestart, boolean restarted,
                         List<String> afterRestart) {
        public boolean changed() {
            return !sql.isEmpty() || !hbaLinesAdded.isEmpty() || restarted;
        }
    }

    private final ReplicationContext context;
    private final Clock clock;

    public ReplicationSetup(ReplicationContext context, Clock clock) {
        this.context = context;
        this.clock = clock;
    }

    /** The settings setup owns, with the values the cluster file gives them. */
    public static Map<String, String> settings(ClusterSpec spec) {
        PostgresSpec pg = spec.postgresql();
        Map<String, String> s = new LinkedHashMap<>();
        s.put("wal_level", "replica");
        s.put("max_wal_senders", Integer.toString(pg.maxWalSenders()));
        s.put("max_replication_slots", Integer.toString(pg.maxReplicationSlots()));
        s.put("wal_keep_size", Units.pgSize(pg.walKeepSize().bytes()));
        s.put("hot_standby", "on");
        s.put("hot_standby_feedback", "on");
        // rejoin runs pg_rewind, which needs hint bits in WAL unless the cluster has data checksums
        s.put("wal_log_hints", "on");
        s.replaceAll((k, v) -> pg.parameters().getOrDefault(k, v));
        return s;
    }

    public Result run(String primaryAddress, boolean dryRun, boolean restart, Duration restartTimeout) {
        ClusterSpec spec = context.spec();
        MemberSpec primary = context.primary(primaryAddress);
        String replicationPassword = context.password(SecretName.replication);
        Connection c = context.superuser(primary);
        try {
            if (Sql.one(c, "SELECT pg_is_in_recovery()", rs -> rs.getBoolean(1))) {
                throw ConnectError.invalidInput(primary.name() + " at " + primary.address()
                        + " is a standby (in recovery); setup runs on the primary");
            }
            List<String> sql = new ArrayList<>();
            roleSql(c, spec.postgresql().replicationUser(), replicationPassword, sql);
            settingsSql(c, spec, sql);
            List<String> slots = new ArrayList<>();
            slotSql(c, spec, primary, slots);
            // a server still at wal_level minimal refuses slots: they wait for the restart
            boolean slotsNow = !"minimal".equals(Sql.one(c, "SHOW wal_level", rs -> rs.getString(1)));
            if (slotsNow) {
                sql.addAll(slots);
            }

            String hbaFile = Sql.one(c, "SHOW hba_file", rs -> rs.getString(1));
            Path hba = Path.of(hbaFile);
            boolean local = isLocal(primary.host()) && Files.isRegularFile(hba);
            List<String> missing = missingHbaLines(spec, local ? Files.readAllLines(hba) : List.of());
            String backup = null;
            if (!dryRun) {
                for (String statement : sql) {
                    Sql.execute(c, statement);
                }
                if (local && !missing.isEmpty()) {
                    backup = addHbaLines(hba, missing);
                }
                if (!sql.isEmpty() || (local && !missing.isEmpty())) {
                    Sql.execute(c, "SELECT pg_reload_conf()");
                }
            }
            List<String> pending = pendingRestart(c);
            boolean restarted = false;
            if (restart && !dryRun && !pending.isEmpty()) {
                if (!isLocal(primary.host())) {
                    throw ConnectError.invalidInput("cannot restart " + primary.address()
                            + ": it is not on this machine; restart it there");
                }
                String dataDirectory = Sql.one(c, "SHOW data_directory", rs -> rs.getString(1));
                Path dataDir = Path.of(dataDirectory);
                Sql.close(c);
                c = null;
                context.control().restart(primary.name(), dataDir, restartTimeout);
                restarted = true;
                c = context.superuser(primary);
                pending = pendingRestart(c);
                if (!slotsNow) {
                    for (String statement : slots) {
                        Sql.execute(c, statement);
                    }
                    sql.addAll(slots);
                    slotsNow = true;
                }
            }
            return new Result(primary.address(), dryRun, sql.stream().map(ReplicationSetup::redact).toList(), hbaFile, local,
                    missing, backup, pending, restarted, slotsNow ? List.of() : slots);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (c != null) {
                Sql.close(c);
            }
        }
    }

    private static void roleSql(Connection c, String role, String password, List<String> sql) {
        List<Map<String, Object>> rows = Sql.maps(c, "SELECT rolreplication, rolcanlogin, rolpassword FROM pg_authid WHERE rolname = "
                + RoleSql.literal(role));
        if (rows.isEmpty()) {
            sql.add("CREATE ROLE " + RoleSql.ident(role) + " REPLICATION LOGIN PASSWORD " + RoleSql.literal(ScramVerifier.create(password)));
        } else {
            Map<String, Object> r = rows.get(0);
            String current = (String) r.get("rolpassword");
            boolean passwordOk = current != null && ScramVerifier.isVerifier(current) && ScramVerifier.matches(current, password);
            if (!Boolean.TRUE.equals(r.get("rolreplication")) || !Boolean.TRUE.equals(r.get("rolcanlogin")) || !passwordOk) {
                // a verifier, not the password: the clear text never reaches the server's logs
                sql.add("ALTER ROLE " + RoleSql.ident(role) + " REPLICATION LOGIN PASSWORD "
                        + RoleSql.literal(passwordOk ? current : ScramVerifier.create(password)));
            }
        }
        boolean canConnect = rows.isEmpty() ? false : Sql.one(c, "SELECT has_database_privilege(" + RoleSql.literal(role)
                + ", current_database(), 'CONNECT')", rs -> rs.getBoolean(1));
        // a new role gets CONNECT from PUBLIC unless it was revoked; only a missing grant is added
        if (!rows.isEmpty() && !canConnect) {
            sql.add("GRANT CONNECT ON DATABASE postgres TO " + RoleSql.ident(role));
        }
    }

    private static void slotSql(Connection c, ClusterSpec spec, MemberSpec primary, List<String> sql) {
        List<String> existing = Sql.list(c, "SELECT slot_name FROM pg_replication_slots", rs -> rs.getString(1));
        for (MemberSpec m : spec.members()) {
            if (m.address().equals(primary.address()) || existing.contains(m.slotName())) {
                continue;
            }
            sql.add("SELECT pg_create_physical_replication_slot(" + RoleSql.literal(m.slotName()) + ")");
        }
    }

    /**
     * Compares with what postgresql.auto.conf holds, not with the running value: wal_level set but
     * not yet restarted must not be set again, and a value from postgresql.conf may change later.
     */
    private static void settingsSql(Connection c, ClusterSpec spec, List<String> sql) {
        Map<String, String> auto = new LinkedHashMap<>();
        for (Map<String, Object> row : Sql.maps(c, "SELECT name, setting FROM pg_file_settings "
                + "WHERE sourcefile LIKE '%postgresql.auto.conf' ORDER BY seqno")) {
            auto.put((String) row.get("name"), (String) row.get("setting"));
        }
        settings(spec).forEach((name, value) -> {
            if (!value.equals(auto.get(name))) {
                sql.add("ALTER SYSTEM SET " + name + " = " + RoleSql.literal(value));
            }
        });
    }

    private static List<String> pendingRestart(Connection c) {
        // pg_file_settings reads the files now, so this is right even before the reload has reached every backend
        return Sql.list(c, """
                SELECT name FROM pg_settings WHERE pending_restart
                UNION
                SELECT name FROM pg_file_settings WHERE error = 'setting could not be applied'
                ORDER BY 1""", rs -> rs.getString(1));
    }

    /** The replication lines the cluster needs that the file does not have, compared word by word. */
    static List<String> missingHbaLines(ClusterSpec spec, List<String> existing) {
        Set<String> present = new java.util.HashSet<>();
        for (String line : existing) {
            String body = line.contains("#") ? line.substring(0, line.indexOf('#')) : line;
            String normal = String.join(" ", body.strip().split("\\s+"));
            if (!normal.isEmpty()) {
                present.add(normal);
            }
        }
        return HbaRules.forCluster(spec).stream().filter(r -> r.database().equals("replication"))
                .map(HbaRules.Rule::line).filter(l -> !present.contains(l)).distinct().toList();
    }

    /**
     * pg_hba is read top down and the first match wins, so the lines go before the first rule:
     * after a final "reject" they would never match.
     */
    private String addHbaLines(Path hba, List<String> lines) throws IOException {
        List<String> old = Files.readAllLines(hba);
        int at = 0;
        while (at < old.size() && (old.get(at).isBlank() || old.get(at).stripLeading().startsWith("#"))) {
            at++;
        }
        List<String> updated = new ArrayList<>(old.subList(0, at));
        updated.add("# streaming replication, added by connect ha replication setup");
        updated.addAll(lines);
        updated.addAll(old.subList(at, old.size()));
        String stamp = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(clock.getZone()).format(clock.instant());
        Path backup = hba.resolveSibling(hba.getFileName() + ".bak-" + stamp);
        Files.copy(hba, backup, StandardCopyOption.COPY_ATTRIBUTES, StandardCopyOption.REPLACE_EXISTING);
        Set<PosixFilePermission> perms = Files.getPosixFilePermissions(hba);
        var owner = Files.getOwner(hba);
        var group = Files.readAttributes(hba, java.nio.file.attribute.PosixFileAttributes.class).group();
        ConfigFileWriter.writeAtomically(hba, String.join("\n", updated) + "\n", perms);
        // the server reads the file as its own user: keep the owner the file had
        var view = Files.getFileAttributeView(hba, java.nio.file.attribute.PosixFileAttributeView.class);
        view.setOwner(owner);
        view.setGroup(group);
        return backup.toString();
    }

    static boolean isLocal(String host) {
        try {
            InetAddress a = InetAddress.getByName(host);
            return a.isLoopbackAddress() || a.isAnyLocalAddress() || NetworkInterface.getByInetAddress(a) != null;
        } catch (IOException e) {
            return false;
        }
    }

    /** A PASSWORD clause shows as a verifier, which is safe, but is shortened so output stays readable. */
    private static String redact(String statement) {
        return statement.replaceAll("PASSWORD 'SCRAM-SHA-256\\$[^']*'", "PASSWORD 'SCRAM-SHA-256\\$…'");
    }
}
