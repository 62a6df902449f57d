package io.connectha.integration;

import io.connectha.cli.ExitCodes;
import io.connectha.cluster.MemberSpec;
import io.connectha.cluster.SecretName;
import io.connectha.process.ProcessController;
import io.connectha.support.CommandRun;
import io.connectha.support.LabExtension;
import io.connectha.support.LabExtension.RunningLab;
import io.connectha.support.LabLeader;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every DSN `connect ha dsn` prints is used for real: JDBC strings with DriverManager, libpq and
 * URL strings with psql, the password from PGPASSWORD or the JDBC properties, never the string.
 */
@Tag("integration")
@ExtendWith(LabExtension.class)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class DsnLabTest {

    private RunningLab lab;

    @BeforeEach
    void lab(RunningLab lab) {
        this.lab = lab;
    }

    @ParameterizedTest(name = "{0} {1} via {2}")
    @CsvSource({
            "jdbc, --write, pgbouncer", "jdbc, --write, haproxy", "jdbc, --write, direct", "jdbc, --read, haproxy", "jdbc, --read, direct",
            "libpq, --write, pgbouncer", "libpq, --write, haproxy", "libpq, --write, direct", "libpq, --read, haproxy", "libpq, --read, direct",
            "url, --write, pgbouncer", "url, --write, haproxy", "url, --write, direct", "url, --read, haproxy", "url, --read, direct"})
    void the_printed_string_connects_and_reaches_the_leader_for_writes_and_a_replica_for_reads(String format, String role, String via)
            throws Exception {
        CommandRun run = run("dsn", "--format", format, role, "--via", via);
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.err()).isEmpty();
        String dsn = run.out().strip();
        assertThat(dsn).doesNotContain(lab.secrets().password(SecretName.app));
        if (format.equals("jdbc") && via.equals("pgbouncer")) {
            assertThat(dsn).contains("prepareThreshold=0");
        }

        Reached reached = format.equals("jdbc") ? throughJdbc(dsn) : throughPsql(dsn);
        MemberSpec leader = LabLeader.of(lab);
        if (role.equals("--write")) {
            assertThat(reached.inRecovery()).as("reached a primary").isFalse();
            assertThat(reached.host()).isEqualTo(leader.host());
        } else {
            assertThat(reached.inRecovery()).as("reached a replica").isTrue();
            assertThat(reached.host()).isNotEqualTo(leader.host());
        }
    }

    @Test
    void with_password_the_jdbc_string_alone_is_enough() throws Exception {
        CommandRun run = run("dsn", "--format", "jdbc", "--with-password");
        assertThat(run.err()).contains("the output contains the password");
        try (Connection c = DriverManager.getConnection(run.out().strip())) {
            assertThat(c.isValid(2)).isTrue();
        }
    }

    @Test
    void a_member_named_for_writes_must_be_the_primary() {
        MemberSpec leader = LabLeader.of(lab);
        MemberSpec replica = lab.cluster().spec().members().stream().filter(m -> !m.equals(leader)).findFirst().orElseThrow();
        CommandRun wrong = run("dsn", "--member", replica.name(), "--write");
        assertThat(wrong.exitCode()).isEqualTo(ExitCodes.FAILURE);
        assertThat(wrong.err()).isEqualTo("connect: " + replica.name()
                + " is a replica (in recovery): it cannot take writes; leave out --write to name it anyway\n");
        CommandRun right = run("dsn", "--member", leader.name(), "--write", "--format", "libpq");
        assertThat(right.exitCode()).isZero();
        assertThat(right.out()).startsWith("host=" + leader.host() + " port=" + leader.port() + " ");
    }

    record Reached(boolean inRecovery, String host) {
    }

    private static final String PROBE = "SELECT pg_is_in_recovery(), host(inet_server_addr())";

    private Reached throughJdbc(String url) throws Exception {
        Properties props = new Properties();
        props.setProperty("password", lab.secrets().password(SecretName.app));
        try (Connection c = DriverManager.getConnection(url, props); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(PROBE)) {
            rs.next();
            return new Reached(rs.getBoolean(1), rs.getString(2));
        }
    }

    private Reached throughPsql(String dsn) throws IOException {
        Path log = Files.createTempFile("psql", ".log");
        try {
            ProcessController.Result r = new ProcessController().run(
                    ProcessController.ProcessSpec.of("psql", log, false, "psql", "-X", "-A", "-t", "-F", ",", "-c", PROBE, dsn)
                            .withEnv(Map.of("PGPASSWORD", lab.secrets().password(SecretName.app))),
                    Duration.ofSeconds(15));
            assertThat(r.ok()).as("psql: " + r.output()).isTrue();
            String[] fields = r.output().strip().split(",");
            return new Reached(fields[0].equals("t"), fields[1]);
        } finally {
            Files.deleteIfExists(log);
        }
    }

    private CommandRun run(String... args) {
        List<String> all = new ArrayList<>(List.of("ha", "-c", lab.clusterFile().toString()));
        all.addAll(List.of(args));
        return CommandRun.of(all.toArray(String[]::new));
    }
}
