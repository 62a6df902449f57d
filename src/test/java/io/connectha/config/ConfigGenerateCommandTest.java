package io.connectha.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.connectha.support.CommandRun;
import io.connectha.support.TestClusters;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ConfigGenerateCommandTest {

    @TempDir
    Path dir;
    Path cluster;
    Path out;

    @BeforeEach
    void cluster_file() throws IOException {
        cluster = dir.resolve("cluster.yaml");
        Files.writeString(cluster, TestClusters.minimal(dir));
        out = dir.resolve("out");
    }

    private CommandRun generate(String... more) {
        List<String> args = new java.util.ArrayList<>(List.of("ha", "-c", cluster.toString(), "config", "generate", "--out", out.toString()));
        args.addAll(List.of(more));
        return CommandRun.of(args.toArray(String[]::new));
    }

    private String read(String path) throws IOException {
        return Files.readString(out.resolve(path));
    }

    private String mode(String path) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(out.resolve(path)));
    }

    @Test
    void writes_every_component_with_secrets_private() throws IOException {
        CommandRun run = generate();
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("create").contains("pgbouncer/userlist.txt");
        for (String f : List.of("postgresql/pg_hba.conf", "postgresql/pg1/postgresql.conf", "postgresql/pg2/postgresql.standby.conf",
                "pgbouncer/pgbouncer.ini", "haproxy/haproxy.cfg", "patroni/pg1.yml", "patroni/pg2.yml", "etcd/etcd1.yml")) {
            assertThat(out.resolve(f)).exists();
        }
        assertThat(mode("pgbouncer/userlist.txt")).isEqualTo("rw-------");
        assertThat(mode("patroni/patroni.env")).isEqualTo("rw-------");
        assertThat(mode("env/app.env")).isEqualTo("rw-------");
        assertThat(mode("postgresql/replication.pgpass")).isEqualTo("rw-------");
        assertThat(mode("patroni/post-bootstrap.sh")).isEqualTo("rwx------");
        assertThat(mode("postgresql/pg_hba.conf")).isEqualTo("rw-r--r--");
    }

    @Test
    void a_second_run_changes_nothing() throws IOException {
        generate();
        String userlist = read("pgbouncer/userlist.txt");
        String haproxy = read("haproxy/haproxy.cfg");
        CommandRun again = generate();
        assertThat(again.exitCode()).isZero();
        assertThat(again.out()).doesNotContain("create").doesNotContain("update");
        assertThat(again.err()).contains("Nothing changed");
        assertThat(read("pgbouncer/userlist.txt")).isEqualTo(userlist);
        assertThat(read("haproxy/haproxy.cfg")).isEqualTo(haproxy);
        try (Stream<Path> files = Files.walk(out)) {
            assertThat(files.map(Path::toString)).noneMatch(p -> p.contains(".bak-") || p.endsWith(".tmp"));
        }
    }

    @Test
    void dry_run_writes_nothing_and_says_what_would_change() {
        CommandRun run = generate("--dry-run");
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("would create").contains("Dry run: 16 file(s) would change; nothing was written.");
        assertThat(out).doesNotExist();
    }

    @Test
    void diff_shows_changes_keeps_a_backup_and_never_shows_secrets() throws IOException {
        generate();
        Files.writeString(cluster, Files.readString(cluster).replace("  memory: 1GB", "  memory: 1GB\n  max_connections: 300"));
        TestClusters.writeSecret(dir.resolve("app.password"), "a-new-app-password-9x");

        CommandRun dry = generate("--dry-run", "--diff");
        assertThat(dry.exitCode()).as(dry.err()).isZero();
        assertThat(dry.out()).contains("-max_connections = 200").contains("+max_connections = 300")
                .contains("would update").contains("@@ secret file: contents not shown @@");
        assertThat(dry.out() + dry.err()).doesNotContain("a-new-app-password-9x").doesNotContain("test-app-pw-7Qz")
                .doesNotContain("SCRAM-SHA-256$4096");
        assertThat(read("postgresql/pg1/postgresql.conf")).contains("max_connections = 200");

        CommandRun write = generate();
        assertThat(write.exitCode()).isZero();
        assertThat(read("postgresql/pg1/postgresql.conf")).contains("max_connections = 300");
        assertThat(write.out()).contains("previous kept as postgresql/pg1/postgresql.conf.bak-");
        try (Stream<Path> files = Files.list(out.resolve("postgresql/pg1"))) {
            Path backup = files.filter(p -> p.getFileName().toString().startsWith("postgresql.conf.bak-")).findFirst().orElseThrow();
            assertThat(Files.readString(backup)).contains("max_connections = 200");
        }
    }

    @Test
    void a_changed_password_gives_a_new_verifier_and_an_unchanged_one_keeps_it() throws IOException {
        generate();
        String before = read("pgbouncer/userlist.txt");
        TestClusters.writeSecret(dir.resolve("app.password"), "a-new-app-password-9x");
        generate();
        String after = read("pgbouncer/userlist.txt");
        String appBefore = before.lines().filter(l -> l.startsWith("\"app\"")).findFirst().orElseThrow();
        String appAfter = after.lines().filter(l -> l.startsWith("\"app\"")).findFirst().orElseThrow();
        String adminBefore = before.lines().filter(l -> l.startsWith("\"pgbouncer_admin\"")).findFirst().orElseThrow();
        assertThat(appAfter).isNotEqualTo(appBefore);
        assertThat(after).contains(adminBefore);
        String verifier = appAfter.split(" ")[1].replace("\"", "");
        assertThat(io.connectha.pg.ScramVerifier.matches(verifier, "a-new-app-password-9x")).isTrue();
        assertThat(read("postgresql/roles.sql")).contains(verifier);
        assertThat(read("patroni/post-bootstrap.sh")).contains(verifier);
    }

    @Test
    void extra_parameters_keep_their_order_so_reruns_change_nothing() throws IOException {
        Files.writeString(cluster, Files.readString(cluster).replace("  memory: 1GB",
                "  memory: 1GB\n  parameters:\n    log_min_duration_statement: 250ms\n    jit: \"off\"\n    idle_session_timeout: 1h\n    track_functions: pl"));
        generate();
        String conf = read("postgresql/pg1/postgresql.conf");
        assertThat(conf).containsSubsequence("log_min_duration_statement = 250ms", "jit = off", "idle_session_timeout = 1h", "track_functions = pl");
        // a fresh JVM would iterate an unordered map differently; the same JVM at least must not differ
        CommandRun again = generate();
        assertThat(again.out()).doesNotContain("update");
    }

    @Test
    void components_can_be_chosen() {
        CommandRun run = generate("haproxy", "etcd");
        assertThat(run.exitCode()).isZero();
        assertThat(out.resolve("haproxy/haproxy.cfg")).exists();
        assertThat(out.resolve("etcd/etcd1.yml")).exists();
        assertThat(out.resolve("pgbouncer")).doesNotExist();
    }

    @Test
    void json_output_lists_files_and_actions() throws IOException {
        CommandRun run = generate("--dry-run", "-o", "json");
        JsonNode json = new ObjectMapper().readTree(run.out());
        assertThat(json.get("dry_run").asBoolean()).isTrue();
        assertThat(json.get("files")).hasSize(16);
        JsonNode first = json.get("files").get(0);
        assertThat(first.get("path").asText()).isEqualTo("postgresql/pg_hba.conf");
        assertThat(first.get("action").asText()).isEqualTo("create");
        assertThat(first.get("mode").asText()).isEqualTo("0644");
        assertThat(run.out()).doesNotContain("SCRAM-SHA-256");
    }

    @Test
    void a_missing_secret_is_one_line_naming_where_it_was_looked_for() throws IOException {
        Files.delete(dir.resolve("haproxy_stats.password"));
        CommandRun run = generate("haproxy");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err().strip()).isEqualTo("connect: secret haproxy_stats not found: file "
                + dir.resolve("haproxy_stats.password") + " does not exist");
    }
}
