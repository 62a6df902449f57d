package io.connectha.integration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.connectha.lab.PidFile;
import io.connectha.support.CommandRun;
import org.junit.jupiter.api.AfterAll;
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
import java.sql.DriverManager;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code lab up --plain}: a primary, a streaming hot standby and PgBouncer on the primary, then down. */
@Tag("integration")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ReplicationLabTest {

    private static final Path DIR = Path.of(System.getProperty("connect.test.replication-lab-dir", "/tmp/connect-repl-lab"));
    private static final int BASE = Integer.getInteger("connect.test.replication-lab-port-base", 26200);

    @AfterAll
    static void down() {
        CommandRun.of("ha", "lab", "down", "--dir", DIR.toString(), "--purge");
    }

    private static CommandRun onLab(String... args) {
        String[] all = new String[args.length + 3];
        all[0] = "ha";
        all[1] = "-c";
        all[2] = DIR.resolve("cluster.yaml").toString();
        System.arraycopy(args, 0, all, 3, args.length);
        return CommandRun.of(all);
    }

    @Test
    @Order(1)
    void lab_up_plain_starts_a_primary_a_streaming_standby_and_pgbouncer_without_patroni() throws Exception {
        CommandRun.of("ha", "lab", "down", "--dir", DIR.toString(), "--purge");
        CommandRun up = CommandRun.of("ha", "lab", "up", "--plain", "--dir", DIR.toString(), "--port-base", Integer.toString(BASE));
        assertThat(up.exitCode()).as(up.out() + up.err()).isZero();
        assertThat(up.err()).contains("replication clone: pg2 streaming from pg1");
        assertThat(Files.readString(DIR.resolve("cluster.yaml"))).contains("target: primary");

        CommandRun status = onLab("replication", "status", "-o", "json");
        assertThat(status.exitCode()).as(status.out() + status.err()).isZero();
        JsonNode members = new ObjectMapper().readTree(status.out()).get("members");
        assertThat(members.get(0).get("role").asText()).isEqualTo("primary");
        assertThat(members.get(0).get("senders").get(0).get("application_name").asText()).isEqualTo("pg2");
        assertThat(members.get(0).get("senders").get(0).get("state").asText()).isEqualTo("streaming");
        assertThat(members.get(0).get("slots").get(0).get("name").asText()).isEqualTo("pg2");
        assertThat(members.get(0).get("slots").get(0).get("active").asBoolean()).isTrue();
        assertThat(members.get(1).get("node").get("in_recovery").asBoolean()).isTrue();

        // the app reaches the primary through PgBouncer
        Properties app = new Properties();
        app.setProperty("user", "app");
        app.setProperty("password", Files.readAllLines(DIR.resolve("secrets/app")).get(0).strip());
        app.setProperty("prepareThreshold", "0");
        try (var c = DriverManager.getConnection("jdbc:postgresql://127.0.0.10:" + (BASE + 50) + "/app", app);
             var rs = c.createStatement().executeQuery("SELECT inet_server_port(), pg_is_in_recovery()")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getInt(1)).isEqualTo(BASE + 1);
            assertThat(rs.getBoolean(2)).isFalse();
        }
        assertThat(PidFile.orphansOf(DIR).stream().map(pid -> commOf(pid)).toList()).doesNotContain("patroni", "etcd", "haproxy");
    }

    @Test
    @Order(2)
    void lab_status_and_logs_show_only_what_a_plain_lab_runs() {
        CommandRun status = CommandRun.of("ha", "lab", "status", "--dir", DIR.toString());
        assertThat(status.exitCode()).as(status.out() + status.err()).isZero();
        assertThat(status.out()).contains("postgres-pg1").contains("postgres-pg2").contains("pgbouncer")
                .doesNotContain("patroni-").doesNotContain("etcd1").doesNotContain("haproxy");
        CommandRun logs = CommandRun.of("ha", "lab", "logs", "--dir", DIR.toString());
        assertThat(logs.exitCode()).as(logs.err()).isZero();
        assertThat(logs.out()).contains("postgresql-pg1").contains("pg_basebackup-pg2");
    }

    @Test
    @Order(3)
    void replication_verify_runs_on_the_plain_lab() {
        CommandRun verify = onLab("replication", "verify", "--rows", "50");
        assertThat(verify.exitCode()).as(verify.out() + verify.err()).isZero();
        assertThat(verify.out()).contains("Verify on primary pg1").containsPattern("pg2 +100 ");
        CommandRun pools = onLab("pgbouncer", "pools");
        assertThat(pools.exitCode()).as(pools.out() + pools.err()).isZero();
        assertThat(pools.out()).contains("app");
    }

    @Test
    @Order(4)
    void lab_down_stops_every_postgres_and_pgbouncer() {
        CommandRun down = CommandRun.of("ha", "lab", "down", "--dir", DIR.toString(), "--purge");
        assertThat(down.exitCode()).as(down.out() + down.err()).isZero();
        assertThat(down.err()).contains("postgres-pg1").contains("postgres-pg2").contains("pgbouncer");
        assertThat(PidFile.orphansOf(DIR)).isEmpty();
        assertThat(DIR).doesNotExist();
    }

    private static String commOf(long pid) {
        try {
            return Files.readString(Path.of("/proc", Long.toString(pid), "comm")).strip();
        } catch (IOException e) {
            return "";
        }
    }
}
