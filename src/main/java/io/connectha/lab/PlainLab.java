package io.connectha.lab;

import io.connectha.process.ProcessController;

import io.connectha.cluster.ClusterSpec;
import io.connectha.cluster.LoadedCluster;
import io.connectha.cluster.MemberSpec;
import io.connectha.cluster.SecretName;
import io.connectha.cluster.SecretResolver;
import io.connectha.config.ConfigFileWriter;
import io.connectha.error.ConnectError;
import io.connectha.process.Progress;
import io.connectha.replication.PostgresControl;
import io.connectha.replication.ReplicationContext;
import io.connectha.replication.ReplicationSetup;
import io.connectha.replication.StandbyClone;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * {@code lab up --plain}: the seed plan's first topology, built with the replication commands' own
 * code. The first member is initialised and started with the generated postgresql.conf and
 * pg_hba.conf, {@code replication setup} prepares it, {@code replication clone} makes the second a
 * streaming hot standby. Both run under pg_ctl, so postmaster.pid is their pid file and
 * {@code lab down} stops them as it stops Patroni's.
 */
final class PlainLab {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final LabLayout layout;
    private final Progress progress;
    private final ProcessController processes = new ProcessController();

    PlainLab(LabLayout layout, Progress progress) {
        this.layout = layout;
        this.progress = progress;
    }

    void start(LoadedCluster cluster) {
        ClusterSpec spec = cluster.spec();
        MemberSpec primary = spec.members().get(0);
        MemberSpec standby = spec.members().get(1);
        PostgresControl control = new PostgresControl(spec.postgresql().binDir(), layout.logs());
        SecretResolver secrets = new SecretResolver(cluster);
        ReplicationContext context = new ReplicationContext(cluster, secrets, Duration.ofSeconds(2), Duration.ofSeconds(10), control);

        Instant t = Instant.now();
        try {
            // pg_ctl -l makes the server write its own log there, as postgres
            PostgresControl.giveToPostgres(layout.logs());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot give " + layout.logs() + " to the postgres user: " + e.getMessage(), e);
        }
        Path dataDir = Path.of(primary.dataDir());
        initdb(spec, dataDir, secrets.password(SecretName.superuser));
        copyConfig("postgresql/" + primary.name() + "/postgresql.conf", dataDir.resolve("postgresql.conf"));
        copyConfig("postgresql/pg_hba.conf", dataDir.resolve("pg_hba.conf"));
        control.start(primary.name(), dataDir, TIMEOUT);
        progress.step("PostgreSQL: " + primary.name() + " initialised and started as the primary", Duration.between(t, Instant.now()));

        t = Instant.now();
        ReplicationSetup.Result setup = new ReplicationSetup(context, Clock.systemUTC()).run(null, false, true, TIMEOUT);
        if (!setup.pendingRestart().isEmpty()) {
            throw new ConnectError(ConnectError.Kind.FAILURE, "settings still need a restart after setup: " + setup.pendingRestart());
        }
        runRolesSql(spec, primary);
        progress.step("replication setup: role, slot " + standby.slotName() + ", settings; app role and database",
                Duration.between(t, Instant.now()));

        t = Instant.now();
        new StandbyClone(context, progress).run(standby.name(), null, false, () -> { }, TIMEOUT);
        progress.step("replication clone: " + standby.name() + " streaming from " + primary.name(), Duration.between(t, Instant.now()));
    }

    /** initdb as postgres; the superuser's password reaches it in a 0600 file that is deleted at once. */
    private void initdb(ClusterSpec spec, Path dataDir, String password) {
        Path pwfile = null;
        try {
            pwfile = Files.createTempFile(layout.data(), ".initdb-", ".pw", PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rw-------")));
            Files.writeString(pwfile, password + "\n");
            PostgresControl.giveToPostgres(pwfile);
            ProcessController.Result r = processes.run(ProcessController.ProcessSpec.of("initdb-" + dataDir.getFileName(),
                    layout.log("initdb"), true, spec.postgresql().binDir() + "/initdb", "-D", dataDir.toString(),
                    "-U", spec.postgresql().superuser(), "--pwfile=" + pwfile, "--auth-local=peer", "--auth-host=scram-sha-256",
                    "-E", "UTF8", "--locale=C.UTF-8"), Duration.ofSeconds(120));
            if (!r.ok()) {
                throw new ConnectError(ConnectError.Kind.FAILURE, "initdb failed; see " + layout.log("initdb"));
            }
        } catch (IOException e) {
            throw io.connectha.error.ConnectError.io("initialise", dataDir, e);
        } finally {
            if (pwfile != null) {
                try {
                    Files.deleteIfExists(pwfile);
                } catch (IOException e) {
                    progress.warn("could not delete " + pwfile + ": " + e.getMessage());
                }
            }
        }
    }

    private void copyConfig(String generated, Path target) {
        try {
            Files.copy(layout.config().resolve(generated), target, StandardCopyOption.REPLACE_EXISTING);
            Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-------"));
            PostgresControl.giveToPostgres(target);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy " + generated + " into " + target.getParent() + ": " + e.getMessage(), e);
        }
    }

    /**
     * The app role and database from the generated roles.sql (psql, for its \gexec), over the Unix
     * socket as the postgres OS user: peer authentication, so no password is needed at all.
     */
    private void runRolesSql(ClusterSpec spec, MemberSpec primary) {
        ProcessController.Result r = processes.run(ProcessController.ProcessSpec.of("psql-roles", layout.log("psql-roles"), true,
                spec.postgresql().binDir() + "/psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", spec.postgresql().unixSocketDir(),
                "-p", Integer.toString(primary.port()), "-U", spec.postgresql().superuser(), "-d", "postgres",
                "-f", layout.config().resolve("postgresql/roles.sql").toString()).withEnv(Map.of()), Duration.ofSeconds(60));
        if (!r.ok()) {
            throw new ConnectError(ConnectError.Kind.FAILURE, "roles.sql failed; see " + layout.log("psql-roles"));
        }
    }
}
