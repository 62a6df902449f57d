package io.connectha.integration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.connectha.cli.ExitCodes;
import io.connectha.cluster.MemberSpec;
import io.connectha.cluster.SecretName;
import io.connectha.haproxy.HaproxyServer;
import io.connectha.haproxy.HaproxySocket;
import io.connectha.haproxy.HaproxyStats;
import io.connectha.support.CommandRun;
import io.connectha.support.Health;
import io.connectha.support.LabExtension;
import io.connectha.support.LabExtension.RunningLab;
import io.connectha.support.LabLeader;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The lab's proxies as someone else would have configured them: a second HAProxy started from a copy of
 * the lab's haproxy.cfg with its own backend and server names, and a second PgBouncer whose pool is an
 * alias. connect's figures are compared with what HAProxy's socket and PgBouncer's console say.
 * Ports 28670-28679 (the test's own, beside the lab's).
 */
@Tag("integration")
@ExtendWith(LabExtension.class)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class AdoptedProxiesLabTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int WRITE_PORT = 28670;
    private static final int READ_PORT = 28671;
    private static final int STATS_PORT = 28672;
    private static final int PGBOUNCER_PORT = 28673;
    private RunningLab lab;
    private Path dir;

    @BeforeEach
    void lab(RunningLab lab) throws IOException {
        this.lab = lab;
        Health.awaitHealthy(lab, Duration.ofSeconds(60));
        dir = Files.createDirectories(lab.dir().resolve("adopted"));
        // PgBouncer refuses to run as root; it runs as postgres and reads its files here
        new ProcessBuilder("chown", "postgres:postgres", dir.toString()).inheritIO().start();
    }

    @Test
    void a_cluster_file_naming_a_backend_haproxy_lacks_is_critical_haproxy_backend_missing_everywhere() throws IOException {
        Path file = clusterCopy("wrong-backend.yaml", "  write_backend: primary_pool\n  read_backend: read\n", null, null);

        CommandRun status = ha(file, "status", "-o", "json", "--connect-timeout", "3s", "--read-timeout", "5s");
        JsonNode s = json(status);
        assertThat(codes(s)).as(status.out()).contains("haproxy_backend_missing").doesNotContain("haproxy_no_writer");
        JsonNode missing = problem(s, "haproxy_backend_missing");
        assertThat(missing.path("severity").asText()).isEqualTo("critical");
        assertThat(missing.path("message").asText()).isEqualTo("HAProxy has no backend 'primary_pool' (haproxy.write_backend in the cluster"
                + " file); its backends are: stats, write, read");
        assertThat(s.path("haproxy").path("write")).isEmpty();
        assertThat(s.path("haproxy").path("backends")).extracting(JsonNode::asText).containsExactly("stats", "write", "read");
        assertThat(status.exitCode()).isEqualTo(ExitCodes.DEGRADED);

        CommandRun check = ha(file, "check", "--connect-timeout", "3s", "--read-timeout", "5s");
        assertThat(check.exitCode()).as(check.out()).isEqualTo(2);
        assertThat(check.out()).contains("✗ HAProxy's write port reaches the leader")
                .contains("HAProxy has no backend 'primary_pool' (haproxy.write_backend); its backends are: stats, write, read")
                .doesNotContain("0 UP in");

        CommandRun haproxy = ha(file, "haproxy", "status", "-o", "json", "--connect-timeout", "3s", "--read-timeout", "5s");
        assertThat(haproxy.exitCode()).as(haproxy.out()).isEqualTo(ExitCodes.DEGRADED);
        assertThat(codes(json(haproxy))).containsExactly("haproxy_backend_missing");

        CommandRun disable = ha(file, "haproxy", "disable", "pg1", "--backend", "write", "--yes");
        assertThat(disable.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(disable.err().strip()).isEqualTo("connect: HAProxy has no backend 'primary_pool' (haproxy.write_backend in the cluster"
                + " file); it has: stats, write, read");
    }

    @Test
    void a_hand_written_haproxy_with_its_own_backend_and_server_names_is_read_and_driven_through_the_cluster_files_names()
            throws Exception {
        Path socket = dir.resolve("haproxy2.sock");
        String cfg = Files.readString(lab.dir().resolve("config/haproxy/haproxy.cfg"))
                .replace(lab.cluster().spec().haproxy().statsSocket(), socket.toString())
                .replace(":" + lab.cluster().spec().haproxy().statsPort() + "\n", ":" + STATS_PORT + "\n")
                .replace("listen write\n    bind 127.0.0.10:" + lab.cluster().spec().haproxy().writePort(), "listen pg_primary\n    bind 127.0.0.10:" + WRITE_PORT)
                .replace("listen read\n    bind 127.0.0.10:" + lab.cluster().spec().haproxy().readPort(), "listen pg_replicas\n    bind 127.0.0.10:" + READ_PORT)
                .replaceAll("server pg(\\d) ", "server pg_node$1 ");
        assertThat(cfg).contains("listen pg_primary", "server pg_node1 127.0.0.11:").doesNotContain("listen write");
        Path cfgFile = dir.resolve("haproxy2.cfg");
        Files.writeString(cfgFile, cfg);
        Path file = clusterCopy("hand-haproxy.yaml", "  write_backend: pg_primary\n  read_backend: pg_replicas\n", socket, null);
        Process haproxy = new ProcessBuilder("haproxy", "-db", "-f", cfgFile.toString()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("haproxy2.log").toFile()).start();
        try {
            String leader = LabLeader.of(lab).name();
            String replica = lab.cluster().spec().members().stream().map(MemberSpec::name).filter(m -> !m.equals(leader)).findFirst().orElseThrow();
            awaitUp(socket, "pg_primary", "pg_node" + leader.substring(2));
            // the read port answers once a replica has passed its health checks (rise), not when HAProxy starts
            awaitUp(socket, "pg_replicas", "pg_node" + replica.substring(2));

            CommandRun status = ha(file, "status", "-o", "json", "--connect-timeout", "3s", "--read-timeout", "5s");
            JsonNode h = json(status).path("haproxy");
            assertThat(codes(json(status))).as(status.out()).isEmpty();
            assertThat(status.exitCode()).isZero();
            assertThat(h.path("write_backend").asText()).isEqualTo("pg_primary");
            assertThat(h.path("write_reaches").asText()).isEqualTo(leader);
            // the servers are members by their address and port, whatever HAProxy calls them
            List<String> upInWrite = new ArrayList<>();
            h.path("write").forEach(s -> {
                assertThat(s.path("member").asText()).isEqualTo("pg" + s.path("server").asText().substring("pg_node".length()));
                if (s.path("status").asText().equals("UP")) {
                    upInWrite.add(s.path("server").asText() + "=" + s.path("member").asText());
                }
            });
            assertThat(upInWrite).containsExactly("pg_node" + leader.substring(2) + "=" + leader);
            // HAProxy's own word, from its socket
            assertThat(showStat(socket).stream().filter(s -> s.backend().equals("pg_primary") && s.up()).map(HaproxyServer::server).toList())
                    .containsExactly("pg_node" + leader.substring(2));
            assertThat(h.path("read")).hasSize(3);

            CommandRun check = ha(file, "check", "--connect-timeout", "3s", "--read-timeout", "5s");
            assertThat(check.exitCode()).as(check.out()).isZero();
            assertThat(check.out()).contains("reaches " + leader + ", 1 UP in pg_primary [pg_node" + leader.substring(2) + " (" + leader + ")]");

            CommandRun hs = ha(file, "haproxy", "status", "--connect-timeout", "3s", "--read-timeout", "5s");
            assertThat(hs.exitCode()).as(hs.out()).isZero();
            assertThat(hs.out()).containsPattern("(?m)^pg_primary\\s+pg_node" + leader.substring(2) + " \\(" + leader + "\\)\\s+UP\\s+(\\* )?L7OK")
                    .contains("No problems found.");

            // enable and disable by the member's name, on servers HAProxy calls otherwise
            CommandRun disable = ha(file, "haproxy", "disable", replica, "--backend", "read", "-o", "json");
            assertThat(disable.exitCode()).as(disable.err()).isZero();
            JsonNode change = json(disable).path("backends").get(0);
            assertThat(change.path("backend").asText()).isEqualTo("pg_replicas");
            assertThat(change.path("server").asText()).isEqualTo("pg_node" + replica.substring(2));
            assertThat(change.path("after").asText()).isEqualTo("MAINT");
            assertThat(statusOf(socket, "pg_replicas", "pg_node" + replica.substring(2))).isEqualTo("MAINT");
            CommandRun enable = ha(file, "haproxy", "enable", replica, "--backend", "read", "-o", "json");
            assertThat(enable.exitCode()).as(enable.err()).isZero();
            assertThat(json(enable).path("backends").get(0).path("commands")).extracting(JsonNode::asText).containsExactly(
                    "set server pg_replicas/pg_node" + replica.substring(2) + " state drain",
                    "set server pg_replicas/pg_node" + replica.substring(2) + " state ready");
            assertThat(statusOf(socket, "pg_replicas", "pg_node" + replica.substring(2))).isEqualTo("UP");
        } finally {
            haproxy.destroy();
            haproxy.waitFor();
        }
    }

    @Test
    void a_pgbouncer_alias_is_the_pool_connect_logs_in_to_and_status_counts_the_real_clients_only() throws Exception {
        Path ini = dir.resolve("pgbouncer2.ini");
        Files.copy(lab.dir().resolve("config/pgbouncer/userlist.txt"), dir.resolve("userlist.txt"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        String labIni = Files.readString(lab.dir().resolve("config/pgbouncer/pgbouncer.ini"));
        String text = labIni.replaceAll("(?m)^app = (.*)$", "app_rw = $1")
                .replaceAll("(?m)^listen_port = .*$", "listen_port = " + PGBOUNCER_PORT)
                .replaceAll("(?m)^unix_socket_dir = .*$", "unix_socket_dir =")
                .replaceAll("(?m)^auth_file = .*$", "auth_file = " + dir.resolve("userlist.txt"));
        assertThat(text).contains("app_rw = host=127.0.0.10 port=" + lab.cluster().spec().haproxy().writePort() + " dbname=app");
        Files.writeString(ini, text);
        new ProcessBuilder("chown", "-R", "postgres:postgres", dir.toString()).inheritIO().start().waitFor();
        Path file = clusterCopy("alias.yaml", null, null, "  databases:\n    - {name: app_rw, dbname: app}\n");
        Process pgbouncer = new ProcessBuilder("runuser", "-u", "postgres", "--", "pgbouncer", ini.toString()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("pgbouncer2.log").toFile()).start();
        List<Connection> clients = new ArrayList<>();
        try {
            String leader = LabLeader.of(lab).name();
            String appPassword = lab.secrets().password(SecretName.app);
            awaitListening(PGBOUNCER_PORT);
            // ten clients of the application, and one more that calls itself what status's own probe does
            for (int i = 0; i < 10; i++) {
                clients.add(client("app_rw", appPassword, "billing"));
            }
            clients.add(client("app_rw", appPassword, "connect-status-probe"));
            assertThat(consoleClients()).as("PgBouncer's own SHOW POOLS").isEqualTo(11);

            CommandRun status = ha(file, "status", "-o", "json", "--connect-timeout", "3s", "--read-timeout", "5s");
            JsonNode b = json(status).path("pgbouncer");
            assertThat(codes(json(status))).as(status.out()).isEmpty();
            assertThat(b.path("reaches").asText()).isEqualTo(leader);
            JsonNode pool = b.path("pools").get(0);
            assertThat(pool.path("database").asText()).isEqualTo("app_rw");
            assertThat(pool.path("dbname").asText()).isEqualTo("app");
            assertThat(pool.path("cl_active").asInt()).as("clients of pool app_rw without connect's own").isEqualTo(10);
            CommandRun table = ha(file, "status", "--connect-timeout", "3s", "--read-timeout", "5s");
            assertThat(table.out()).contains("app_rw (database app)/app clients 10 active");

            CommandRun pools = ha(file, "pgbouncer", "pools", "-o", "json");
            assertThat(pools.exitCode()).as(pools.err()).isZero();
            JsonNode p = json(pools).path("pools").get(0);
            assertThat(p.path("database").asText()).isEqualTo("app_rw");
            assertThat(p.path("dbname").asText()).isEqualTo("app");
            assertThat(p.path("cl_active").asInt()).as("pgbouncer pools shows PgBouncer's own figure").isEqualTo(11);
            assertThat(ha(file, "pgbouncer", "pools").out()).containsPattern("(?m)^app_rw\\s+app\\s+app\\s+11\\s");

            CommandRun dsn = ha(file, "dsn", "--via", "pgbouncer");
            assertThat(dsn.exitCode()).as(dsn.err()).isZero();
            assertThat(dsn.out().strip()).isEqualTo("postgresql://app@127.0.0.10:" + PGBOUNCER_PORT + "/app_rw?connect_timeout=5");
            // the DSN works as psql reads it, and lands in the database the alias stands for
            ProcessBuilder pb = new ProcessBuilder("psql", dsn.out().strip(), "-Atc", "select current_database()").redirectErrorStream(true);
            pb.environment().put("PGPASSWORD", appPassword);
            Process psql = pb.start();
            String psqlSays = new String(psql.getInputStream().readAllBytes()).strip();
            psql.waitFor();
            assertThat(psqlSays).isEqualTo("app");
        } finally {
            for (Connection c : clients) {
                c.close();
            }
            pgbouncer.destroy();
            pgbouncer.waitFor();
        }
    }

    // ------------------------------------------------------------------------------------------

    /** The lab's cluster file with the HAProxy (and PgBouncer) lines of this test. */
    private Path clusterCopy(String name, String haproxyFields, Path socket, String pgbouncerDatabases) throws IOException {
        String yaml = Files.readString(lab.clusterFile());
        if (socket != null) {
            yaml = yaml.replace("  write_port: " + lab.cluster().spec().haproxy().writePort() + "\n", "  write_port: " + WRITE_PORT + "\n")
                    .replace("  read_port: " + lab.cluster().spec().haproxy().readPort() + "\n", "  read_port: " + READ_PORT + "\n")
                    .replace("  stats_port: " + lab.cluster().spec().haproxy().statsPort() + "\n", "  stats_port: " + STATS_PORT + "\n")
                    .replace("  stats_socket: " + lab.cluster().spec().haproxy().statsSocket() + "\n", "  stats_socket: " + socket + "\n");
        }
        if (haproxyFields != null) {
            yaml = yaml.replace("\npgbouncer:\n", "\n" + haproxyFields + "pgbouncer:\n");
        }
        if (pgbouncerDatabases != null) {
            yaml = yaml.replace("  port: " + lab.cluster().spec().pgbouncer().port() + "\n", "  port: " + PGBOUNCER_PORT + "\n" + pgbouncerDatabases);
        }
        Path file = dir.resolve(name);
        Files.writeString(file, yaml);
        return file;
    }

    private static List<HaproxyServer> showStat(Path socket) {
        return HaproxyStats.parse(HaproxySocket.command(socket, "show stat", Duration.ofSeconds(2)));
    }

    private static String statusOf(Path socket, String backend, String server) {
        return showStat(socket).stream().filter(s -> s.backend().equals(backend) && s.server().equals(server)).map(HaproxyServer::status)
                .findFirst().orElseThrow();
    }

    private static void awaitUp(Path socket, String backend, String server) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(30);
        while (true) {
            try {
                if (statusOf(socket, backend, server).equals("UP")) {
                    return;
                }
            } catch (RuntimeException notYet) {
                if (Instant.now().isAfter(deadline)) {
                    throw notYet;
                }
            }
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError(backend + "/" + server + " not UP within 30 s");
            }
            Thread.sleep(200);
        }
    }

    private static void awaitListening(int port) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(30);
        while (true) {
            try (java.net.Socket s = new java.net.Socket("127.0.0.10", port)) {
                return;
            } catch (IOException e) {
                if (Instant.now().isAfter(deadline)) {
                    throw new AssertionError("nothing listens on " + port, e);
                }
                Thread.sleep(200);
            }
        }
    }

    private static Connection client(String pool, String password, String applicationName) throws Exception {
        Properties p = new Properties();
        p.setProperty("user", "app");
        p.setProperty("password", password);
        p.setProperty("prepareThreshold", "0");
        p.setProperty("ApplicationName", applicationName);
        Connection c = new org.postgresql.Driver().connect("jdbc:postgresql://127.0.0.10:" + PGBOUNCER_PORT + "/" + pool, p);
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("select current_database()")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualTo("app");
        }
        return c;
    }

    /** cl_active of pool app_rw as PgBouncer's console says it to psql. */
    private int consoleClients() throws Exception {
        ProcessBuilder pb = new ProcessBuilder("psql", "-h", "127.0.0.10", "-p", Integer.toString(PGBOUNCER_PORT), "-U",
                lab.cluster().spec().pgbouncer().adminUser(), "-Atc", "show pools", "pgbouncer");
        pb.environment().put("PGPASSWORD", lab.secrets().password(SecretName.pgbouncer_admin));
        Process psql = pb.redirectErrorStream(true).start();
        String out = new String(psql.getInputStream().readAllBytes());
        psql.waitFor();
        return out.lines().filter(l -> l.startsWith("app_rw|")).map(l -> Integer.parseInt(l.split("\\|")[2])).findFirst()
                .orElseThrow(() -> new AssertionError("no pool app_rw in " + out));
    }

    private static CommandRun ha(Path file, String... args) {
        List<String> all = new ArrayList<>(List.of("ha", "-c", file.toString()));
        all.addAll(List.of(args));
        return CommandRun.of(all.toArray(String[]::new));
    }

    private static JsonNode json(CommandRun run) {
        try {
            return JSON.readTree(run.out());
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + run.out() + run.err(), e);
        }
    }

    private static List<String> codes(JsonNode status) {
        return status.path("problems").findValuesAsText("code");
    }

    private static JsonNode problem(JsonNode status, String code) {
        for (JsonNode p : status.path("problems")) {
            if (p.path("code").asText().equals(code)) {
                return p;
            }
        }
        throw new AssertionError("no problem " + code);
    }
}
