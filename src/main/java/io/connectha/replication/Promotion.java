package io.connectha.replication;

import io.connectha.cluster.ClusterSpec;
import io.connectha.cluster.MemberSpec;
import io.connectha.cluster.SecretName;
import io.connectha.error.ConnectError;
import io.connectha.pg.Sql;
import io.connectha.process.Progress;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Promotes a standby, and turns a former primary into a standby of the new one with pg_rewind. */
public final class Promotion {

    public record PromoteResult(String member, String address, Duration took, Integer timeline) {
    }

    public record RejoinResult(String member, String primary, boolean slotCreated, Duration rewindTook, Duration streamingAfter,
                               Duration took) {
    }

    private final ReplicationContext context;
    private final Progress progress;

    public Promotion(ReplicationContext context, Progress progress) {
        this.context = context;
        this.progress = progress;
    }

    /** Checks that {@code member} is a standby that answers; the promotion itself is {@link #promote}. */
    public MemberSpec checkPromotable(String memberName) {
        MemberSpec m = context.member(memberName);
        Connection c = context.superuser(m);
        try {
            if (!Sql.one(c, "SELECT pg_is_in_recovery()", rs -> rs.getBoolean(1))) {
                throw ConnectError.invalidInput(m.name() + " at " + m.address() + " is not a standby; nothing to promote");
            }
        } finally {
            Sql.close(c);
        }
        return m;
    }

    public PromoteResult promote(MemberSpec m, Duration timeout) {
        Connection c = context.superuser(m);
        try {
            long start = System.nanoTime();
            boolean done = Sql.one(c, "SELECT pg_promote(wait => true, wait_seconds => " + Math.max(1, timeout.toSeconds()) + ")",
                    rs -> rs.getBoolean(1));
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            if (!done) {
                throw new ConnectError(ConnectError.Kind.FAILURE, m.name() + " did not finish promotion within "
                        + timeout.toSeconds() + " s; check its log");
            }
            // pg_control has the new timeline only after the next checkpoint; the WAL file name has it at once
            Integer timeline = Sql.one(c, "SELECT ('x' || substr(pg_walfile_name(pg_current_wal_lsn()), 1, 8))::bit(32)::int",
                    rs -> rs.getInt(1));
            return new PromoteResult(m.name(), m.address(), took, timeline);
        } finally {
            Sql.close(c);
        }
    }

    /** The members that answer as primaries now, other than {@code except}: the ones a promotion leaves behind. */
    public List<String> otherPrimaries(String except) {
        return ReplicationStatus.read(context).primaries().stream().map(ReplicationStatus.Member::name)
                .filter(n -> !n.equals(except)).toList();
    }

    /** The member that is primary now, other than {@code except}: the one that answers and is not in recovery. */
    public MemberSpec currentPrimary(String except) {
        for (ReplicationStatus.Member m : ReplicationStatus.read(context).primaries()) {
            if (!m.name().equals(except)) {
                return context.member(m.name());
            }
        }
        throw new ConnectError(ConnectError.Kind.FAILURE, "no other member is a primary; promote one first, or name it with --primary");
    }

    /** Checks everything rejoin needs before it stops anything: the new primary's credentials and the slot. */
    public boolean prepareRejoin(MemberSpec member, MemberSpec primary) {
        if (member.address().equals(primary.address())) {
            throw ConnectError.invalidInput(member.name() + " is the primary; rejoin a former primary to the new one");
        }
        Path dataDir = Path.of(member.dataDir());
        if (!Files.isRegularFile(dataDir.resolve("PG_VERSION"))) {
            throw ConnectError.invalidInput("no data directory at " + dataDir + "; use replication clone for a new standby");
        }
        try (Connection c = context.superuser(primary)) {
            boolean created = StandbyClone.SlotGuard.ensure(c, member);
            // a just-promoted server writes its new timeline to pg_control only at the next checkpoint;
            // before that pg_rewind sees both on the old timeline and wrongly finds nothing to rewind
            Sql.execute(c, "CHECKPOINT");
            return created;
        } catch (java.sql.SQLException e) {
            throw ConnectError.failure("cannot close the connection to " + primary.address(), e);
        }
    }

    /** What {@link #rejoin} would do, after read-only checks; changes nothing. */
    public List<String> planRejoin(MemberSpec member, MemberSpec primary) {
        if (member.address().equals(primary.address())) {
            throw ConnectError.invalidInput(member.name() + " is the primary; rejoin a former primary to the new one");
        }
        Path dataDir = Path.of(member.dataDir());
        if (!Files.isRegularFile(dataDir.resolve("PG_VERSION"))) {
            throw ConnectError.invalidInput("no data directory at " + dataDir + "; use replication clone for a new standby");
        }
        boolean slotExists;
        try (Connection c = context.superuser(primary)) {
            slotExists = StandbyClone.SlotGuard.exists(c, member);
        } catch (java.sql.SQLException e) {
            throw ConnectError.failure("cannot close the connection to " + primary.address(), e);
        }
        List<String> steps = new ArrayList<>();
        if (!slotExists) {
            steps.add("on " + primary.address() + ": SELECT pg_create_physical_replication_slot('" + member.slotName() + "')");
        }
        steps.add("on " + primary.address() + ": CHECKPOINT");
        if (PostgresControl.running(dataDir)) {
            steps.add("pg_ctl stop -D " + dataDir + " -m fast");
        }
        steps.add("as postgres: pg_rewind --target-pgdata=" + dataDir + " --source-server='host=" + primary.host() + " port="
                + primary.port() + " user=" + context.spec().postgresql().superuser() + " dbname=postgres' --progress");
        PostgresControl.standbySettings(context.spec(), member, primary)
                .forEach((k, v) -> steps.add("postgresql.auto.conf: " + k + " = '" + v + "'"));
        steps.add("standby.signal; pg_ctl start -w; wait until " + primary.name() + " shows " + member.name() + " streaming");
        return steps;
    }

    public RejoinResult rejoin(MemberSpec member, MemberSpec primary, boolean slotCreated, Duration timeout) {
        long start = System.nanoTime();
        ClusterSpec spec = context.spec();
        Path dataDir = Path.of(member.dataDir());
        PostgresControl control = context.control();
        if (PostgresControl.running(dataDir)) {
            progress.info("stopping " + member.name() + " (fast, clean shutdown for pg_rewind)");
            control.stop(member.name(), dataDir, timeout);
        }
        long rewindStart = System.nanoTime();
        Path passfile = superuserPassfile();
        try {
            progress.info("pg_rewind " + member.name() + " from " + primary.name() + " at " + primary.address());
            // the conninfo names the passfile's owner and address only; the password stays in the 0600 file
            control.runOrFail("pg_rewind of " + member.name(), dataDir, "pg_rewind-" + member.name(),
                    Map.of("PGPASSFILE", passfile.toString()), timeout.plusMinutes(30), control.program("pg_rewind"),
                    "--target-pgdata=" + dataDir, "--source-server=host=" + primary.host() + " port=" + primary.port()
                            + " user=" + spec.postgresql().superuser() + " dbname=postgres", "--progress");
        } finally {
            delete(passfile);
        }
        Duration rewindTook = Duration.ofNanos(System.nanoTime() - rewindStart);
        progress.step("pg_rewind of " + member.name() + " done", rewindTook);
        PostgresControl.writePassfile(Path.of(spec.postgresql().replicationPassfile()), spec.postgresql().replicationUser(),
                context.password(SecretName.replication));
        PostgresControl.writeStandbySettings(dataDir, PostgresControl.standbySettings(spec, member, primary));
        control.start(member.name(), dataDir, timeout);
        progress.info(member.name() + " started as a standby; waiting until it streams from " + primary.name());
        Duration streaming = Streaming.await(context, primary, member, timeout);
        return new RejoinResult(member.name(), primary.name(), slotCreated, rewindTook, streaming,
                Duration.ofNanos(System.nanoTime() - start));
    }

    /** A private 0600 passfile for pg_rewind, owned by postgres, deleted as soon as pg_rewind is done. */
    private Path superuserPassfile() {
        try {
            Path dir = Files.createTempDirectory("connect-rewind-", PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rwx------")));
            Path file = dir.resolve("pgpass");
            PostgresControl.giveToPostgres(dir);
            PostgresControl.writePassfile(file, context.spec().postgresql().superuser(), context.password(SecretName.superuser));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write a passfile for pg_rewind: " + e.getMessage(), e);
        }
    }

    private static void delete(Path passfile) {
        try {
            Files.deleteIfExists(passfile);
            Files.deleteIfExists(passfile.getParent());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + passfile + ": " + e.getMessage(), e);
        }
    }
}
