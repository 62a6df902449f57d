package io.connectha.integration;

import io.connectha.support.Handles;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.connectha.process.ProcessController;
import io.connectha.process.ProcessController.ProcessSpec;
import io.connectha.pg.PgConnector;
import io.connectha.pg.ScramVerifier;
import io.connectha.support.CommandRun;
import io.connectha.support.Scratch;
import io.connectha.support.TestClusters;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The replication commands against real PostgreSQL 15 servers started with pg_ctl, as the
 * commands start them: setup (twice), clone, status, verify, promote and rejoin, each checked in
 * the servers themselves, and the errors that must change nothing.
 */
@Tag("integration")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ReplicationCommandsTest {

    private static final String BIN = "/usr/lib/postgresql/15/bin";
    private static final int BASE = Integer.getInteger("connect.test.replication-port-base", 26000);
    private static final int PG1 = BASE + 1, PG2 = BASE + 2, PG3 = BASE + 3, UNUSED = BASE + 9;
    private static final String HOST = "127.0.0.1";
    private static final PgConnector pg = new PgConnector(Duration.ofSeconds(3), Duration.ofSeconds(10));

    static Scratch scratch;
    static Path cluster;
    static Path wrongPassword;
    static Path withPg3;
    static Path data;
    static String superuserPassword;
    static String replicationPassword;

    @BeforeAll
    static void startPrimary() throws IOException {
        scratch = new Scratch("connect-repl-");
        Path secrets = Files.createDirectories(scratch.root().resolve("secrets"));
        superuserPassword = "repl-su-" + Long.toHexString(System.nanoTime());
        replicationPassword = "repl-rep:" + Long.toHexString(System.nanoTime());
        TestClusters.writeSecret(secrets.resolve("superuser"), superuserPassword);
        TestClusters.writeSecret(secrets.resolve("replication"), replicationPassword);
        TestClusters.writeSecret(secrets.resolve("wrong"), "not-the-password");
        TestClusters.writeSecret(secrets.resolve("other"), "repl-unused-" + Long.toHexString(System.nanoTime()));
        data = scratch.dir("data");
        Path sock = scratch.dir("sock");
        scratch.dir("pgpass");
        String members = """
                members:
                  - {name: pg1, host: %1$s, port: %2$d, patroni_port: %4$d}
                  - {name: pg2, host: %1$s, port: %3$d, patroni_port: %5$d}
                """.formatted(HOST, PG1, PG2, BASE + 11, BASE + 12);
        String body = """
                name: repl
                postgresql:
                  data_dir_root: %2$s
                  unix_socket_dir: %3$s
                  wal_keep_size: 64MB
                  replication_passfile: %4$s/pgpass/replication.pgpass
                %%s
                etcd:
                  members:
                    - {name: etcd1, host: %1$s, client_port: %5$d, peer_port: %6$d}
                haproxy:
                  host: %1$s
                secrets:
                  superuser: {file: secrets/%%s}
                  replication: {file: secrets/replication}
                  app: {file: secrets/other}
                  rest_api: {file: secrets/other}
                  pgbouncer_admin: {file: secrets/other}
                  haproxy_stats: {file: secrets/other}
                """.formatted(HOST, data, sock, scratch.root(), BASE + 21, BASE + 22);
        cluster = write("cluster.yaml", body.formatted(members, "superuser"));
        wrongPassword = write("wrong.yaml", body.formatted(members, "wrong"));
        withPg3 = write("pg3.yaml", body.formatted(members + "  - {name: pg3, host: %s, port: %d, patroni_port: %d}\n".formatted(HOST, PG3, BASE + 13), "superuser"));

        Path pwfile = scratch.root().resolve("initdb.pw");
        Files.writeString(pwfile, superuserPassword + "\n");
        scratch.giveToPostgres(scratch.root());
        Path pg1 = data.resolve("pg1");
        ProcessController.Result init = scratch.run("initdb", true, BIN + "/initdb", "-D", pg1.toString(), "-U", "postgres",
                "--pwfile=" + pwfile, "--auth-local=peer", "--auth-host=scram-sha-256", "-E", "UTF8", "--locale=C.UTF-8");
        Files.delete(pwfile);
        assertThat(init.exitCode()).as(init.output()).isZero();
        // wal_level minimal: setup must raise it, and that needs a restart
        Files.writeString(pg1.resolve("postgresql.conf"), """
                listen_addresses = '%s'
                port = %d
                unix_socket_directories = '%s'
                wal_level = minimal
                max_wal_senders = 0
                shared_buffers = 32MB
                """.formatted(HOST, PG1, sock));
        Files.writeString(pg1.resolve("pg_hba.conf"), """
                # no replication lines yet: setup adds them
                local all postgres peer
                host all postgres 127.0.0.1/32 scram-sha-256
                host all all 0.0.0.0/0 reject
                """);
        scratch.giveToPostgres(pg1);
        ProcessController.Result start = scratch.run("pg_ctl-start-pg1", true, BIN + "/pg_ctl", "start", "-w", "-D", pg1.toString(),
                "-l", scratch.log("postgresql-pg1-initial").toString());
        assertThat(start.exitCode()).as(start.output()).isZero();
    }

    @AfterAll
    static void stopEverything() throws IOException {
        if (scratch == null) {
            return;
        }
        for (String m : new String[]{"pg1", "pg2", "pg3"}) {
            Path dir = data.resolve(m);
            if (Files.exists(dir.resolve("postmaster.pid"))) {
                scratch.run("pg_ctl-stop-" + m, true, BIN + "/pg_ctl", "stop", "-D", dir.toString(), "-m", "immediate", "-w");
            }
        }
        scratch.close();
    }

    private static Path write(String name, String content) throws IOException {
        Path p = scratch.root().resolve(name);
        Files.writeString(p, content);
        return p;
    }

    private static CommandRun connect(Path clusterFile, String... args) {
        String[] all = new String[args.length + 4];
        all[0] = "ha";
        all[1] = "-c";
        all[2] = clusterFile.toString();
        all[3] = "replication";
        System.arraycopy(args, 0, all, 4, args.length);
        return CommandRun.of(all);
    }

    private static Handle superuser(int port) {
        return Handles.open(pg, new PgConnector.Endpoint("PostgreSQL on " + port, HOST, port, "postgres", "postgres"), superuserPassword);
    }

    private static <T> T one(int port, String sql, Class<T> type) {
        try (Handle h = superuser(port)) {
            return h.createQuery(sql).mapTo(type).one();
        }
    }

    private static boolean roleExists() {
        return one(PG1, "SELECT count(*) FROM pg_roles WHERE rolname = 'replicator'", Integer.class) == 1;
    }

    @Test
    @Order(1)
    void setup_with_a_wrong_superuser_password_exits_6_with_one_line_and_changes_nothing() {
        CommandRun run = connect(wrongPassword, "setup");
        assertThat(run.exitCode()).as(run.err()).isEqualTo(6);
        assertThat(run.err().strip()).doesNotContain("\n").contains("authentication failed").contains(HOST + ":" + PG1);
        assertThat(run.err()).doesNotContain("not-the-password");
        assertThat(roleExists()).isFalse();
    }

    @Test
    @Order(2)
    void setup_against_an_unreachable_primary_exits_5_with_one_line() {
        CommandRun run = connect(cluster, "setup", "--primary", HOST + ":" + UNUSED);
        assertThat(run.exitCode()).as(run.err()).isEqualTo(5);
        assertThat(run.err().strip()).doesNotContain("\n").contains("could not reach").contains(HOST + ":" + UNUSED);
        assertThat(roleExists()).isFalse();
    }

    @Test
    @Order(3)
    void setup_dry_run_prints_the_sql_and_the_hba_lines_and_changes_nothing() throws IOException {
        String hbaBefore = Files.readString(data.resolve("pg1/pg_hba.conf"));
        CommandRun run = connect(cluster, "setup", "--dry-run");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("CREATE ROLE \"replicator\" REPLICATION LOGIN PASSWORD 'SCRAM-SHA-256$")
                .contains("pg_create_physical_replication_slot('pg2')").contains("ALTER SYSTEM SET wal_level = 'replica'")
                .contains("host replication replicator 127.0.0.1/32 scram-sha-256").doesNotContain(replicationPassword);
        assertThat(roleExists()).isFalse();
        assertThat(Files.readString(data.resolve("pg1/pg_hba.conf"))).isEqualTo(hbaBefore);
        assertThat(one(PG1, "SELECT count(*) FROM pg_replication_slots", Integer.class)).isZero();
    }

    @Test
    @Order(4)
    void setup_creates_the_role_slot_settings_and_hba_lines_and_says_a_restart_is_needed() throws IOException {
        CommandRun run = connect(cluster, "setup");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("RESTART NEEDED").contains("wal_level").doesNotContain(replicationPassword);
        String verifier = one(PG1, "SELECT rolpassword FROM pg_authid WHERE rolname = 'replicator' AND rolreplication AND rolcanlogin",
                String.class);
        assertThat(ScramVerifier.matches(verifier, replicationPassword)).isTrue();
        // wal_level minimal allows no slot yet
        assertThat(run.out()).contains("After the restart").contains("pg_create_physical_replication_slot('pg2')");
        assertThat(one(PG1, "SELECT count(*) FROM pg_replication_slots", Integer.class)).isZero();
        assertThat(one(PG1, "SELECT pending_restart FROM pg_settings WHERE name = 'wal_level'", Boolean.class)).isTrue();
        assertThat(one(PG1, "SELECT setting FROM pg_settings WHERE name = 'hot_standby_feedback'", String.class)).isEqualTo("on");
        assertThat(one(PG1, "SELECT count(*) FROM pg_hba_file_rules WHERE 'replication' = ANY(database) "
                + "AND 'replicator' = ANY(user_name) AND error IS NULL", Integer.class)).isPositive();
        try (var files = Files.list(data.resolve("pg1"))) {
            assertThat(files.map(p -> p.getFileName().toString())).anyMatch(n -> n.startsWith("pg_hba.conf.bak-"));
        }
    }

    @Test
    @Order(5)
    void setup_with_restart_restarts_and_the_new_wal_level_is_live() {
        CommandRun run = connect(cluster, "setup", "--restart");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("Restarted").doesNotContain("RESTART NEEDED");
        assertThat(one(PG1, "SHOW wal_level", String.class)).isEqualTo("replica");
        assertThat(one(PG1, "SHOW max_wal_senders", String.class)).isEqualTo("10");
        assertThat(one(PG1, "SELECT count(*) FROM pg_settings WHERE pending_restart", Integer.class)).isZero();
        assertThat(one(PG1, "SELECT slot_type FROM pg_replication_slots WHERE slot_name = 'pg2'", String.class)).isEqualTo("physical");
    }

    @Test
    @Order(6)
    void setup_again_changes_nothing_and_says_so() throws IOException {
        String verifier = one(PG1, "SELECT rolpassword FROM pg_authid WHERE rolname = 'replicator'", String.class);
        String hba = Files.readString(data.resolve("pg1/pg_hba.conf"));
        CommandRun run = connect(cluster, "setup");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("nothing to change").contains("Nothing changed");
        assertThat(one(PG1, "SELECT rolpassword FROM pg_authid WHERE rolname = 'replicator'", String.class)).isEqualTo(verifier);
        assertThat(Files.readString(data.resolve("pg1/pg_hba.conf"))).isEqualTo(hba);
    }

    @Test
    @Order(7)
    void clone_refuses_a_non_empty_directory_without_force() throws IOException {
        Path pg2 = Files.createDirectories(data.resolve("pg2"));
        Path stray = Files.writeString(pg2.resolve("stray.txt"), "keep me");
        CommandRun run = connect(cluster, "clone", "--member", "pg2");
        assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
        assertThat(run.err().strip()).doesNotContain("\n").contains("not empty").contains("--force");
        assertThat(stray).hasContent("keep me");
        Files.delete(stray);
    }

    @Test
    @Order(8)
    void clone_makes_pg2_a_streaming_hot_standby() throws IOException {
        CommandRun dry = connect(cluster, "clone", "--member", "pg2", "--dry-run");
        assertThat(dry.exitCode()).as(dry.err()).isZero();
        assertThat(dry.out()).contains("pg_basebackup -h " + HOST + " -p " + PG1).contains("-S pg2").doesNotContain(replicationPassword);
        try (var files = Files.list(data.resolve("pg2"))) {
            assertThat(files).as("dry run leaves the directory empty").isEmpty();
        }
        CommandRun run = connect(cluster, "clone", "--member", "pg2");
        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        assertThat(run.out()).contains("pg2 is streaming from " + HOST + ":" + PG1);
        assertThat(run.err()).contains("pg_basebackup").doesNotContain(replicationPassword);
        assertThat(one(PG1, "SELECT state FROM pg_stat_replication WHERE application_name = 'pg2'", String.class)).isEqualTo("streaming");
        assertThat(one(PG1, "SELECT active FROM pg_replication_slots WHERE slot_name = 'pg2'", Boolean.class)).isTrue();
        assertThat(one(PG2, "SELECT pg_is_in_recovery()", Boolean.class)).isTrue();
        assertThat(one(PG2, "SHOW hot_standby", String.class)).isEqualTo("on");
        Path passfile = scratch.root().resolve("pgpass/replication.pgpass");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(passfile))).isEqualTo("rw-------");
        // the password went through the passfile, which primary_conninfo names, never into the settings
        assertThat(one(PG2, "SHOW primary_conninfo", String.class)).contains("passfile=" + passfile).doesNotContain(replicationPassword);
    }

    @Test
    @Order(9)
    void clone_refuses_a_slot_another_standby_is_using() throws IOException {
        try (Handle h = superuser(PG1)) {
            h.execute("SELECT pg_create_physical_replication_slot('pg3')");
        }
        Path wal = scratch.dir("intruder-wal");
        scratch.giveToPostgres(wal);
        ProcessController.Started intruder = scratch.start(ProcessSpec.of("intruder", scratch.log("intruder"), true,
                BIN + "/pg_receivewal", "-D", wal.toString(), "-S", "pg3", "-d",
                "host=" + HOST + " port=" + PG1 + " user=replicator application_name=intruder")
                .withEnv(Map.of("PGPASSFILE", scratch.root().resolve("pgpass/replication.pgpass").toString())));
        ProcessController.awaitReady("intruder on slot pg3", Duration.ofSeconds(20), Duration.ofMillis(100),
                () -> one(PG1, "SELECT active FROM pg_replication_slots WHERE slot_name = 'pg3'", Boolean.class));
        CommandRun run = connect(withPg3, "clone", "--member", "pg3");
        assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
        assertThat(run.err().strip()).doesNotContain("\n").contains("slot pg3 is in use by another standby (intruder)");
        assertThat(Files.exists(data.resolve("pg3"))).isFalse();
        ProcessController.stop(intruder.pid(), Duration.ofSeconds(10));
        ProcessController.awaitReady("slot pg3 released", Duration.ofSeconds(10), Duration.ofMillis(100),
                () -> !one(PG1, "SELECT active FROM pg_replication_slots WHERE slot_name = 'pg3'", Boolean.class));
        try (Handle h = superuser(PG1)) {
            h.execute("SELECT pg_drop_replication_slot('pg3')");
        }
    }

    @Test
    @Order(10)
    void status_shows_pg2_streaming_from_pg1() throws IOException {
        CommandRun run = connect(cluster, "status");
        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        assertThat(run.out()).contains("pg_stat_replication on pg1").contains("streaming");
        CommandRun json = connect(cluster, "status", "-o", "json");
        JsonNode members = new ObjectMapper().readTree(json.out()).get("members");
        assertThat(members.get(0).get("role").asText()).isEqualTo("primary");
        assertThat(members.get(0).get("senders").get(0).get("application_name").asText()).isEqualTo("pg2");
        assertThat(members.get(1).get("role").asText()).isEqualTo("standby");
        assertThat(members.get(1).get("node").get("in_recovery").asBoolean()).isTrue();
    }

    @Test
    @Order(11)
    void verify_times_every_change_on_the_standby_and_drops_its_table() throws IOException {
        CommandRun run = connect(cluster, "verify", "--rows", "200", "-o", "json");
        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        JsonNode standby = new ObjectMapper().readTree(run.out()).get("standbys").get(0);
        assertThat(standby.get("member").asText()).isEqualTo("pg2");
        assertThat(standby.get("changes").asInt()).isEqualTo(400);
        assertThat(standby.get("primary_rows").asLong()).isEqualTo(200).isEqualTo(standby.get("standby_rows").asLong());
        System.err.println("verify: " + standby);
        assertThat(one(PG1, "SELECT count(*) FROM pg_class WHERE relname LIKE 'connect_verify_%'", Integer.class)).isZero();
        CommandRun table = connect(cluster, "verify", "--rows", "20");
        assertThat(table.exitCode()).as(table.err()).isZero();
        assertThat(table.out()).containsPattern("pg2 +40 +\\d+\\.\\d{3} ms");
    }

    @Test
    @Order(12)
    void verify_exits_4_when_a_standby_does_not_catch_up_within_the_deadline() {
        try (Handle h = superuser(PG2)) {
            h.execute("SELECT pg_wal_replay_pause()");
        }
        try {
            CommandRun run = connect(cluster, "verify", "--rows", "5", "--deadline", "500ms");
            assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(4);
            assertThat(run.out()).contains("DID NOT CATCH UP");
            assertThat(one(PG1, "SELECT count(*) FROM pg_class WHERE relname LIKE 'connect_verify_%'", Integer.class)).isZero();
        } finally {
            try (Handle h = superuser(PG2)) {
                h.execute("SELECT pg_wal_replay_resume()");
            }
        }
    }

    @Test
    @Order(14)
    void promote_makes_pg2_a_primary_and_warns_about_the_old_one() {
        CommandRun dry = connect(cluster, "promote", "--member", "pg2", "--dry-run");
        assertThat(dry.exitCode()).as(dry.err()).isZero();
        assertThat(dry.out()).contains("pg_promote(wait => true");
        assertThat(one(PG2, "SELECT pg_is_in_recovery()", Boolean.class)).isTrue();
        CommandRun unconfirmed = connect(cluster, "promote", "--member", "pg2");
        assertThat(unconfirmed.exitCode()).as("no terminal, no --yes").isEqualTo(2);
        assertThat(one(PG2, "SELECT pg_is_in_recovery()", Boolean.class)).isTrue();
        CommandRun run = connect(cluster, "promote", "--member", "pg2", "--yes");
        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        assertThat(run.out()).contains("pg2").contains("timeline 2").contains("promotion took");
        assertThat(run.err()).contains("pg1 must never come back as a writer").contains("rejoin --member pg1");
        System.err.println("promote: " + run.out().strip());
        assertThat(one(PG2, "SELECT pg_is_in_recovery()", Boolean.class)).isFalse();
    }

    @Test
    @Order(15)
    void rejoin_rewinds_pg1_into_a_standby_of_pg2() {
        // the old primary took a write after the promotion: pg_rewind must discard it
        try (Handle h = superuser(PG1)) {
            h.execute("CREATE TABLE diverged(v int)");
        }
        CommandRun dry = connect(cluster, "rejoin", "--member", "pg1", "--dry-run");
        assertThat(dry.exitCode()).as(dry.err()).isZero();
        assertThat(dry.out()).contains("pg_rewind --target-pgdata=" + data.resolve("pg1")).doesNotContain(superuserPassword);
        assertThat(one(PG1, "SELECT pg_is_in_recovery()", Boolean.class)).as("dry run leaves pg1 alone").isFalse();
        CommandRun run = connect(cluster, "rejoin", "--member", "pg1", "--yes");
        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        System.err.println("rejoin: " + run.out().strip());
        assertThat(one(PG1, "SELECT pg_is_in_recovery()", Boolean.class)).isTrue();
        assertThat(one(PG2, "SELECT state FROM pg_stat_replication WHERE application_name = 'pg1'", String.class)).isEqualTo("streaming");
        assertThat(one(PG2, "SELECT active FROM pg_replication_slots WHERE slot_name = 'pg1'", Boolean.class)).isTrue();
        assertThat(one(PG1, "SELECT count(*) FROM pg_class WHERE relname = 'diverged'", Integer.class)).isZero();
        CommandRun verify = connect(cluster, "verify", "--rows", "20");
        assertThat(verify.exitCode()).as(verify.out() + verify.err()).isZero();
        assertThat(verify.out()).contains("Verify on primary pg2").contains("pg1");
    }
}
