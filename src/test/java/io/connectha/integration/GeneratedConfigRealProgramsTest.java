package io.connectha.integration;

import io.connectha.support.Handles;

import io.connectha.error.ConnectError;
import io.connectha.process.ProcessController;
import io.connectha.process.ProcessController.ProcessSpec;
import io.connectha.pg.PgConnector;
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
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Every generated file, read by the real program that reads it: Patroni's validator, PostgreSQL
 * 15 as primary and as a streaming standby, PgBouncer with a SCRAM login through to PostgreSQL,
 * HAProxy, and etcd. Needs scripts/install-deps.sh; runs as root (programs as postgres) or as any user.
 */
@Tag("integration")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class GeneratedConfigRealProgramsTest {

    private static final String BIN = "/usr/lib/postgresql/15/bin";
    private static final int BASE = Integer.getInteger("connect.test.port-base", 21000);
    private static final int PG1 = BASE + 1, PG2 = BASE + 2, REST1 = BASE + 11, REST2 = BASE + 12;
    private static final int ETCD_CLIENT = BASE + 21, ETCD_PEER = BASE + 22;
    private static final int WRITE = BASE + 31, READ = BASE + 32, STATS = BASE + 33, BOUNCER = BASE + 34;

    static Scratch scratch;
    static Path cluster;
    static Path gen;
    static Path data;
    static final Map<String, String> passwords = new LinkedHashMap<>();
    static final PgConnector pg = new PgConnector(Duration.ofSeconds(3), Duration.ofSeconds(10));

    @BeforeAll
    static void generate() throws IOException {
        scratch = new Scratch("connect-it-");
        Path secrets = Files.createDirectories(scratch.root().resolve("secrets"));
        for (String name : new String[]{"superuser", "replication", "app", "rest_api", "pgbouncer_admin", "haproxy_stats"}) {
            passwords.put(name, "it-" + name + "-" + Long.toHexString(System.nanoTime()));
            TestClusters.writeSecret(secrets.resolve(name), passwords.get(name));
        }
        gen = scratch.dir("gen");
        data = scratch.dir("data");
        Path sock = scratch.dir("sock");
        cluster = scratch.root().resolve("cluster.yaml");
        Files.writeString(cluster, """
                name: it
                rto_target: 35s
                postgresql:
                  data_dir_root: %1$s
                  unix_socket_dir: %2$s
                  memory: 1GB
                  max_connections: 50
                  networks: [127.0.0.0/8]
                  admin_networks: [127.0.0.0/8]
                  replication_passfile: %3$s/postgresql/replication.pgpass
                members:
                  - {name: pg1, host: 127.0.0.11, port: %4$d, patroni_port: %5$d}
                  - {name: pg2, host: 127.0.0.12, port: %6$d, patroni_port: %7$d}
                etcd:
                  data_dir_root: %8$s
                  members:
                    - {name: etcd1, host: 127.0.0.21, client_port: %9$d, peer_port: %10$d}
                patroni:
                  config_dir: %3$s/patroni
                haproxy:
                  host: 127.0.0.10
                  write_port: %11$d
                  read_port: %12$d
                  stats_port: %13$d
                  stats_socket: %14$s/haproxy.sock
                pgbouncer:
                  port: %15$d
                  target: primary
                  config_dir: %3$s/pgbouncer
                  unix_socket_dir: %2$s
                secrets:
                  superuser: {file: secrets/superuser}
                  replication: {file: secrets/replication}
                  app: {file: secrets/app}
                  rest_api: {file: secrets/rest_api}
                  pgbouncer_admin: {file: secrets/pgbouncer_admin}
                  haproxy_stats: {file: secrets/haproxy_stats}
                """.formatted(data, sock, gen, PG1, REST1, PG2, REST2, scratch.root().resolve("etcd"), ETCD_CLIENT, ETCD_PEER,
                WRITE, READ, STATS, scratch.root(), BOUNCER));
        CommandRun run = CommandRun.of("ha", "-c", cluster.toString(), "config", "generate", "--out", gen.toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        scratch.giveToPostgres(gen);
        scratch.giveToPostgres(data);
        scratch.giveToPostgres(sock);
    }

    @AfterAll
    static void stopEverything() throws IOException {
        if (scratch != null) {
            scratch.close();
        }
    }

    private static Map<String, String> patroniEnv() throws IOException {
        Map<String, String> env = new LinkedHashMap<>();
        for (String line : Files.readAllLines(gen.resolve("patroni/patroni.env"))) {
            if (!line.startsWith("#") && line.contains("=")) {
                String value = line.substring(line.indexOf('=') + 1);
                env.put(line.substring(0, line.indexOf('=')), value.startsWith("'") ? value.substring(1, value.length() - 1) : value);
            }
        }
        return env;
    }

    @Test
    @Order(2)
    void patroni_validates_every_member_file_against_the_running_etcd() throws IOException {
        for (String member : new String[]{"pg1", "pg2"}) {
            ProcessSpec spec = ProcessSpec.of("patroni-validate-" + member, scratch.log("patroni-validate-" + member), true,
                    "patroni", "--validate-config", gen.resolve("patroni/" + member + ".yml").toString()).withEnv(patroniEnv());
            ProcessController.Result r = scratch.processes().run(spec, Duration.ofSeconds(60));
            assertThat(r.exitCode()).as(r.output()).isZero();
            assertThat(r.output()).as("validator output").isBlank();
        }
    }

    @Test
    @Order(3)
    void haproxy_accepts_the_config() {
        ProcessController.Result r = scratch.run("haproxy-check", false, "haproxy", "-c", "-f", gen.resolve("haproxy/haproxy.cfg").toString());
        assertThat(r.exitCode()).as(r.output()).isZero();
        assertThat(r.output()).contains("Configuration file is valid");
    }

    @Test
    @Order(4)
    void postgresql_starts_with_the_generated_conf_and_hba() throws Exception {
        Path pwfile = scratch.root().resolve("gen/initdb.pw");
        Files.writeString(pwfile, passwords.get("superuser") + "\n");
        scratch.giveToPostgres(pwfile);
        Path pg1 = data.resolve("pg1");
        ProcessController.Result init = scratch.run("initdb", true, BIN + "/initdb", "-D", pg1.toString(), "-U", "postgres",
                "--pwfile=" + pwfile, "--auth-local=peer", "--auth-host=scram-sha-256", "-E", "UTF8", "--locale=C.UTF-8");
        Files.delete(pwfile);
        assertThat(init.exitCode()).as(init.output()).isZero();
        Files.copy(gen.resolve("postgresql/pg1/postgresql.conf"), pg1.resolve("postgresql.conf"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.copy(gen.resolve("postgresql/pg_hba.conf"), pg1.resolve("pg_hba.conf"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        scratch.giveToPostgres(pg1);
        scratch.start(ProcessSpec.of("pg1", scratch.log("pg1"), true, BIN + "/postgres", "-D", pg1.toString()));
        awaitSql("pg1", PG1);

        try (Handle h = superuser("pg1", PG1)) {
            assertThat(show(h, "shared_buffers")).isEqualTo("256MB");
            assertThat(show(h, "effective_cache_size")).isEqualTo("512MB");
            assertThat(show(h, "password_encryption")).isEqualTo("scram-sha-256");
            assertThat(show(h, "wal_level")).isEqualTo("replica");
            assertThat(show(h, "listen_addresses")).isEqualTo("127.0.0.11");
            assertThat(h.createQuery("SELECT count(*) FROM pg_hba_file_rules WHERE error IS NOT NULL").mapTo(Integer.class).one()).isZero();
        }
    }

    @Test
    @Order(5)
    void roles_sql_creates_the_app_role_with_the_userlist_verifier() throws Exception {
        ProcessSpec psql = ProcessSpec.of("psql-roles", scratch.log("psql-roles"), true, BIN + "/psql", "-X", "-q", "-v", "ON_ERROR_STOP=1",
                "-h", "127.0.0.11", "-p", Integer.toString(PG1), "-U", "postgres", "-d", "postgres",
                "-f", gen.resolve("postgresql/roles.sql").toString()).withEnv(Map.of("PGPASSWORD", passwords.get("superuser")));
        for (int i = 0; i < 2; i++) { // a second run is a no-op, not an error
            ProcessController.Result r = scratch.processes().run(psql, Duration.ofSeconds(60));
            assertThat(r.exitCode()).as(r.output()).isZero();
        }
        String userlistVerifier = Files.readAllLines(gen.resolve("pgbouncer/userlist.txt")).stream()
                .filter(l -> l.startsWith("\"app\"")).findFirst().orElseThrow().split(" ")[1].replace("\"", "");
        try (Handle h = superuser("pg1", PG1)) {
            assertThat(h.createQuery("SELECT rolpassword FROM pg_authid WHERE rolname = 'app'").mapTo(String.class).one())
                    .isEqualTo(userlistVerifier);
        }
        try (Handle app = Handles.open(pg, new PgConnector.Endpoint("pg1", "127.0.0.11", PG1, "app", "app"), passwords.get("app"))) {
            assertThat(app.createQuery("SELECT current_user").mapTo(String.class).one()).isEqualTo("app");
        }
        // pg_hba gives the app user its own databases only
        assertThatThrownBy(() -> Handles.open(pg, new PgConnector.Endpoint("pg1", "127.0.0.11", PG1, "postgres", "app"), passwords.get("app")))
                .isInstanceOf(ConnectError.class).extracting(e -> ((ConnectError) e).kind()).isEqualTo(ConnectError.Kind.AUTHENTICATION_FAILED);
    }

    @Test
    @Order(6)
    void a_standby_with_the_generated_standby_conf_streams() throws Exception {
        try (Handle h = superuser("pg1", PG1)) {
            h.execute("CREATE ROLE replicator REPLICATION LOGIN PASSWORD '" + passwords.get("replication").replace("'", "''") + "'");
            h.execute("SELECT pg_create_physical_replication_slot('pg2')");
        }
        Path pg2 = data.resolve("pg2");
        ProcessSpec backup = ProcessSpec.of("pg_basebackup", scratch.log("pg_basebackup"), true, BIN + "/pg_basebackup",
                "-h", "127.0.0.11", "-p", Integer.toString(PG1), "-U", "replicator", "-D", pg2.toString(),
                "-X", "stream", "-c", "fast", "-S", "pg2")
                .withEnv(Map.of("PGPASSFILE", gen.resolve("postgresql/replication.pgpass").toString()));
        ProcessController.Result r = scratch.processes().run(backup, Duration.ofSeconds(120));
        assertThat(r.exitCode()).as(r.output()).isZero();
        Files.copy(gen.resolve("postgresql/pg2/postgresql.standby.conf"), pg2.resolve("postgresql.conf"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.writeString(pg2.resolve("standby.signal"), "");
        scratch.giveToPostgres(pg2);
        scratch.start(ProcessSpec.of("pg2", scratch.log("pg2"), true, BIN + "/postgres", "-D", pg2.toString()));
        awaitSql("pg2", PG2);

        try (Handle primary = superuser("pg1", PG1)) {
            ProcessController.awaitReady("pg2 streaming", Duration.ofSeconds(30), Duration.ofMillis(200), () ->
                    primary.createQuery("SELECT count(*) FROM pg_stat_replication WHERE application_name = 'pg2' AND state = 'streaming'")
                            .mapTo(Integer.class).one() == 1);
            assertThat(primary.createQuery("SELECT active FROM pg_replication_slots WHERE slot_name = 'pg2'").mapTo(Boolean.class).one()).isTrue();
            primary.execute("CREATE TABLE it_probe(v int)");
            primary.execute("INSERT INTO it_probe VALUES (42)");
        }
        try (Handle standby = superuser("pg2", PG2)) {
            assertThat(standby.createQuery("SELECT pg_is_in_recovery()").mapTo(Boolean.class).one()).isTrue();
            ProcessController.awaitReady("row replayed on pg2", Duration.ofSeconds(10), Duration.ofMillis(50), () ->
                    standby.createQuery("SELECT count(*) FROM pg_tables WHERE tablename = 'it_probe'").mapTo(Integer.class).one() == 1
                            && standby.createQuery("SELECT count(*) FROM it_probe WHERE v = 42").mapTo(Integer.class).one() == 1);
        }
    }

    @Test
    @Order(7)
    void pgbouncer_logs_the_app_in_with_scram_through_to_postgresql() throws Exception {
        scratch.start(ProcessSpec.of("pgbouncer", scratch.log("pgbouncer"), true, "pgbouncer", gen.resolve("pgbouncer/pgbouncer.ini").toString()));
        ProcessController.awaitReady("pgbouncer", Duration.ofSeconds(15), Duration.ofMillis(100),
                () -> ProcessController.isListening("127.0.0.10", BOUNCER, Duration.ofMillis(200)));

        Properties app = new Properties();
        app.setProperty("user", "app");
        app.setProperty("password", passwords.get("app"));
        app.setProperty("prepareThreshold", "0");
        try (var c = DriverManager.getConnection("jdbc:postgresql://127.0.0.10:" + BOUNCER + "/app", app);
             var rs = c.createStatement().executeQuery("SELECT current_user, inet_server_port()")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("app");
            assertThat(rs.getInt(2)).isEqualTo(PG1);
        } catch (Exception e) {
            throw new AssertionError(e.getMessage() + "\n" + scratch.tail("pgbouncer"), e);
        }

        Properties admin = new Properties();
        admin.setProperty("user", "pgbouncer_admin");
        admin.setProperty("password", passwords.get("pgbouncer_admin"));
        admin.setProperty("preferQueryMode", "simple");
        // the console takes no SET; with 9.0 assumed, pgjdbc sends its settings as start-up parameters instead
        admin.setProperty("assumeMinServerVersion", "9.0");
        try (var c = DriverManager.getConnection("jdbc:postgresql://127.0.0.10:" + BOUNCER + "/pgbouncer", admin);
             var rs = c.createStatement().executeQuery("SHOW POOLS")) {
            boolean sawApp = false;
            while (rs.next()) {
                sawApp |= rs.getString("database").equals("app") && rs.getString("user").equals("app");
            }
            assertThat(sawApp).as("SHOW POOLS lists the app pool").isTrue();
        }

        app.setProperty("password", "not-the-password");
        assertThatThrownBy(() -> DriverManager.getConnection("jdbc:postgresql://127.0.0.10:" + BOUNCER + "/app", app))
                .hasMessageContaining("authentication failed");
    }

    @Test
    @Order(8)
    void haproxy_runs_and_its_stats_page_takes_the_stats_password() throws Exception {
        scratch.start(ProcessSpec.of("haproxy", scratch.log("haproxy"), false, "haproxy", "-W", "-db", "-f", gen.resolve("haproxy/haproxy.cfg").toString()));
        ProcessController.awaitReady("haproxy stats", Duration.ofSeconds(15), Duration.ofMillis(100),
                () -> ProcessController.isListening("127.0.0.1", STATS, Duration.ofMillis(200)));
        assertThat(ProcessController.isListening("127.0.0.10", WRITE, Duration.ofMillis(500))).isTrue();
        assertThat(ProcessController.isListening("127.0.0.10", READ, Duration.ofMillis(500))).isTrue();
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        URI csv = URI.create("http://127.0.0.1:" + STATS + "/;csv");
        HttpResponse<String> anonymous = http.send(HttpRequest.newBuilder(csv).timeout(Duration.ofSeconds(3)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(anonymous.statusCode()).isEqualTo(401);
        String basic = Base64.getEncoder().encodeToString(("stats:" + passwords.get("haproxy_stats")).getBytes());
        HttpResponse<String> authed = http.send(HttpRequest.newBuilder(csv).header("Authorization", "Basic " + basic)
                .timeout(Duration.ofSeconds(3)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(authed.statusCode()).isEqualTo(200);
        assertThat(authed.body()).contains("write,pg1,").contains("read,pg2,");
        assertThat(scratch.root().resolve("haproxy.sock")).exists();
    }

    @Test
    @Order(1)
    void etcd_starts_from_its_generated_file() throws Exception {
        Files.createDirectories(scratch.root().resolve("etcd"));
        scratch.start(ProcessSpec.of("etcd1", scratch.log("etcd1"), false, "etcd", "--config-file", gen.resolve("etcd/etcd1.yml").toString()));
        ProcessController.awaitReady("etcd health", Duration.ofSeconds(30), Duration.ofMillis(250), () ->
                scratch.run("etcdctl", false, "etcdctl", "--endpoints=http://127.0.0.21:" + ETCD_CLIENT, "--command-timeout=2s",
                        "endpoint", "health").ok());
    }

    @Test
    @Order(9)
    void from_server_reads_pg_authid_and_refuses_a_secret_that_does_not_match() throws IOException {
        // roles.sql put the userlist's verifier into pg_authid: reading it back changes nothing
        CommandRun same = CommandRun.of("ha", "-c", cluster.toString(), "config", "generate", "pgbouncer", "--out", gen.toString(),
                "--from-server", "--dry-run");
        assertThat(same.exitCode()).as(same.err()).isZero();
        assertThat(same.out()).contains("Dry run: nothing would change.");

        Path secret = scratch.root().resolve("secrets/app");
        String original = Files.readString(secret);
        TestClusters.writeSecret(secret, "another-app-password-42");
        try {
            CommandRun mismatch = CommandRun.of("ha", "-c", cluster.toString(), "config", "generate", "pgbouncer", "--out", gen.toString(),
                    "--from-server", "--dry-run");
            assertThat(mismatch.exitCode()).isEqualTo(2);
            assertThat(mismatch.err()).contains("the server's SCRAM verifier for role app does not match secret app")
                    .doesNotContain("another-app-password-42");
        } finally {
            TestClusters.writeSecret(secret, original.strip());
        }
    }

    private static Handle superuser(String member, int port) {
        return Handles.open(pg, new PgConnector.Endpoint("PostgreSQL on " + member, member.equals("pg1") ? "127.0.0.11" : "127.0.0.12",
                port, "postgres", "postgres"), passwords.get("superuser"));
    }

    private static void awaitSql(String member, int port) {
        try {
            ProcessController.awaitReady(member + " accepting connections", Duration.ofSeconds(30), Duration.ofMillis(200), () -> {
                try (Handle h = superuser(member, port)) {
                    return true;
                }
            });
        } catch (ConnectError e) {
            throw new AssertionError(e.getMessage() + "\n" + scratch.tail(member), e);
        }
    }

    private static String show(Handle h, String setting) {
        return h.createQuery("SHOW " + setting).mapTo(String.class).one();
    }
}
