package io.connectha.replication;

import io.connectha.cluster.ClusterSpec;
import io.connectha.cluster.MemberSpec;
import io.connectha.cluster.SecretName;
import io.connectha.error.ConnectError;
import io.connectha.process.ProcessController;
import io.connectha.pg.RoleSql;
import io.connectha.pg.Sql;
import io.connectha.process.Progress;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/** Makes a member a streaming standby of the primary: pg_basebackup, its settings, start, wait. */
public final class StandbyClone {

    public record Result(String member, String primary, String dataDir, String slot, boolean slotCreated,
                         Duration backupTook, Duration streamingAfter, Duration took) {
    }

    private final ReplicationContext context;
    private final Progress progress;

    public StandbyClone(ReplicationContext context, Progress progress) {
        this.context = context;
        this.progress = progress;
    }

    /**
     * Everything is checked before anything is changed: the directory, the primary's credentials
     * and the slot. {@code confirmReplace} is asked before a non-empty directory is emptied.
     */
    public Result run(String memberName, String primaryAddress, boolean force, Runnable confirmReplace, Duration timeout) {
        long start = System.nanoTime();
        ClusterSpec spec = context.spec();
        Target t = target(memberName, primaryAddress, force);
        MemberSpec member = t.member();
        MemberSpec primary = t.primary();
        Path dataDir = t.dataDir();
        boolean nonEmpty = t.nonEmpty();
        String replicationPassword = context.password(SecretName.replication);
        boolean slotCreated;
        try (Connection c = context.superuser(primary)) {
            slotCreated = SlotGuard.ensure(c, member);
        } catch (java.sql.SQLException e) {
            throw ConnectError.failure("cannot close the connection to " + primary.address(), e);
        }
        if (nonEmpty) {
            confirmReplace.run();
            deleteContents(dataDir);
        }
        prepareDirectory(dataDir);
        Path passfile = Path.of(spec.postgresql().replicationPassfile());
        PostgresControl.writePassfile(passfile, spec.postgresql().replicationUser(), replicationPassword);

        progress.info("pg_basebackup from " + primary.address() + " into " + dataDir + " (slot " + member.slotName() + ")");
        long backupStart = System.nanoTime();
        PostgresControl control = context.control();
        Path log = control.log(dataDir, "pg_basebackup-" + member.name());
        long logOffset = size(log);
        CompletableFuture<ProcessController.Result> backup = CompletableFuture.supplyAsync(() -> control.run(dataDir,
                "pg_basebackup-" + member.name(), Map.of("PGPASSFILE", passfile.toString()), timeout.plusMinutes(60),
                control.program("pg_basebackup"), "-h", primary.host(), "-p", Integer.toString(primary.port()),
                "-U", spec.postgresql().replicationUser(), "-d", "application_name=" + member.name(),
                "-D", dataDir.toString(), "-R", "-S", member.slotName(), "-X", "stream", "-c", "fast", "-P"));
        ProcessController.Result r = awaitWithProgress(backup, log, logOffset);
        if (!r.ok()) {
            throw new ConnectError(ConnectError.Kind.FAILURE, "pg_basebackup failed (exit " + r.exitCode() + "): "
                    + PostgresControl.lastLine(r.output()) + "; see " + log);
        }
        Duration backupTook = Duration.ofNanos(System.nanoTime() - backupStart);
        progress.step("base backup of " + member.name() + " done", backupTook);

        PostgresControl.writeStandbySettings(dataDir, PostgresControl.standbySettings(spec, member, primary));
        control.start(member.name(), dataDir, timeout);
        progress.info(member.name() + " started; waiting until it streams from " + primary.name());
        Duration streaming = Streaming.await(context, primary, member, timeout);
        return new Result(member.name(), primary.address(), dataDir.toString(), member.slotName(), slotCreated, backupTook,
                streaming, Duration.ofNanos(System.nanoTime() - start));
    }

    /** The standby to clone and the primary to clone from, once the checks that need no change have passed. */
    private record Target(MemberSpec member, MemberSpec primary, Path dataDir, boolean nonEmpty) {
    }

    private Target target(String memberName, String primaryAddress, boolean force) {
        MemberSpec member = context.member(memberName);
        MemberSpec primary = context.primary(primaryAddress);
        if (member.address().equals(primary.address())) {
            throw ConnectError.invalidInput(member.name() + " is the primary (" + primary.address() + "); clone a standby");
        }
        Path dataDir = Path.of(member.dataDir());
        boolean nonEmpty = notEmpty(dataDir);
        if (nonEmpty && !force) {
            throw ConnectError.invalidInput("data directory " + dataDir + " of " + member.name()
                    + " is not empty; add --force to replace it");
        }
        if (PostgresControl.running(dataDir)) {
            throw ConnectError.invalidInput("a server is running in " + dataDir + "; stop it before cloning over it");
        }
        return new Target(member, primary, dataDir, nonEmpty);
    }

    /** What {@link #run} would do, after the same checks; changes nothing. */
    public List<String> plan(String memberName, String primaryAddress, boolean force) {
        ClusterSpec spec = context.spec();
        Target t = target(memberName, primaryAddress, force);
        MemberSpec member = t.member();
        MemberSpec primary = t.primary();
        Path dataDir = t.dataDir();
        boolean nonEmpty = t.nonEmpty();
        context.password(SecretName.replication);
        boolean slotExists;
        try (Connection c = context.superuser(primary)) {
            slotExists = SlotGuard.exists(c, member);
        } catch (java.sql.SQLException e) {
            throw ConnectError.failure("cannot close the connection to " + primary.address(), e);
        }
        List<String> steps = new java.util.ArrayList<>();
        if (!slotExists) {
            steps.add("on " + primary.address() + ": SELECT pg_create_physical_replication_slot('" + member.slotName() + "')");
        }
        if (nonEmpty) {
            steps.add("delete everything in " + dataDir + " (after confirmation)");
        }
        steps.add("write the replication passfile " + spec.postgresql().replicationPassfile() + " (0600, owner postgres)");
        steps.add("as postgres: pg_basebackup -h " + primary.host() + " -p " + primary.port() + " -U "
                + spec.postgresql().replicationUser() + " -d application_name=" + member.name() + " -D " + dataDir
                + " -R -S " + member.slotName() + " -X stream -c fast -P");
        PostgresControl.standbySettings(spec, member, primary)
                .forEach((k, v) -> steps.add("postgresql.auto.conf: " + k + " = '" + v + "'"));
        steps.add("standby.signal; pg_ctl start -w; wait until " + primary.name() + " shows " + member.name() + " streaming");
        return steps;
    }

    /** Shows pg_basebackup's own progress lines (it rewrites one line with \r) as they come. */
    private ProcessController.Result awaitWithProgress(CompletableFuture<ProcessController.Result> backup, Path log, long offset) {
        String last = "";
        while (true) {
            try {
                return backup.get(1, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                String now = lastProgress(log, offset);
                if (!now.isEmpty() && !now.equals(last)) {
                    progress.info("  " + now);
                    last = now;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw ConnectError.failure("interrupted during pg_basebackup", e);
            } catch (ExecutionException e) {
                throw e.getCause() instanceof RuntimeException re ? re : ConnectError.failure(e.getMessage(), e);
            }
        }
    }

    private static String lastProgress(Path log, long offset) {
        try {
            String text = Files.readString(log);
            String mine = text.substring((int) Math.min(offset, text.length()));
            String[] parts = mine.split("[\r\n]");
            for (int i = parts.length - 1; i >= 0; i--) {
                if (!parts[i].isBlank()) {
                    return parts[i].strip();
                }
            }
        } catch (IOException | RuntimeException e) {
            // no log yet: nothing to show
        }
        return "";
    }

    private static long size(Path p) {
        try {
            return Files.isRegularFile(p) ? Files.size(p) : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    static boolean notEmpty(Path dir) {
        if (!Files.isDirectory(dir)) {
            return Files.exists(dir);
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.findAny().isPresent();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + dir + ": " + e.getMessage(), e);
        }
    }

    private static void deleteContents(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                if (!p.equals(dir)) {
                    Files.delete(p);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot empty " + dir + ": " + e.getMessage(), e);
        }
    }

    /** pg_basebackup runs as postgres, so the (empty) directory must be theirs and 0700. */
    private static void prepareDirectory(Path dir) {
        try {
            Files.createDirectories(dir);
            Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
            PostgresControl.giveToPostgres(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Checks and creates the member's slot on an upstream. */
    static final class SlotGuard {
        private SlotGuard() {
        }

        /**
         * True when the slot was created. A slot in use by a walsender whose application_name is
         * another member's belongs to a running standby: taking it would break that standby.
         */
        static boolean ensure(Connection c, MemberSpec member) {
            if (exists(c, member)) {
                return false;
            }
            Sql.execute(c, "SELECT pg_create_physical_replication_slot(" + RoleSql.literal(member.slotName()) + ")");
            return true;
        }

        /** Whether the slot exists; refuses a slot another standby is using. */
        static boolean exists(Connection c, MemberSpec member) {
            List<Map<String, Object>> rows = Sql.maps(c, """
                    SELECT s.slot_type, s.active, r.application_name
                    FROM pg_replication_slots s LEFT JOIN pg_stat_replication r ON r.pid = s.active_pid
                    WHERE s.slot_name = """ + RoleSql.literal(member.slotName()));
            if (rows.isEmpty()) {
                return false;
            }
            Map<String, Object> slot = rows.get(0);
            if (!"physical".equals(slot.get("slot_type"))) {
                throw ConnectError.invalidInput("slot " + member.slotName() + " is a " + slot.get("slot_type")
                        + " slot; " + member.name() + " needs a physical one");
            }
            Object app = slot.get("application_name");
            if (Boolean.TRUE.equals(slot.get("active")) && !member.name().equals(app)) {
                throw ConnectError.invalidInput("slot " + member.slotName() + " is in use by another standby ("
                        + (app == null ? "unknown" : app) + "); nothing was changed");
            }
            return true;
        }
    }
}
