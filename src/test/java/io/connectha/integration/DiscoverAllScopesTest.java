package io.connectha.integration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.connectha.cluster.SecretName;
import io.connectha.lab.LabLayout;
import io.connectha.support.CommandRun;
import io.connectha.support.Health;
import io.connectha.support.LabExtension;
import io.connectha.support.LabExtension.RunningLab;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code discover --etcd URL --all-scopes}: two real clusters under one namespace of one etcd, the lab
 * (scope {@code lab}) and a single-member Patroni of scope {@code other} that this test starts against the
 * lab's etcd, as the postgres user, with its own data directory, and stops (with its postmaster) at the end.
 */
@Tag("integration")
@ExtendWith(LabExtension.class)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class DiscoverAllScopesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path OTHER_DIR = Path.of(System.getProperty("connect.test.lab-dir", "/tmp/connect-test-lab") + "-other");
    private static final int OTHER_PG_PORT = LabExtension.PORT_BASE + 70;
    private static final int OTHER_REST_PORT = LabExtension.PORT_BASE + 71;

    @Test
    void every_cluster_under_the_namespace_gets_its_file_and_its_context(RunningLab lab, @TempDir Path tmp) throws Exception {
        Health.awaitHealthy(lab, Duration.ofSeconds(90));
        String etcd = "http://" + LabLayout.etcdHost(1) + ":" + LabLayout.etcdClientPort(LabExtension.PORT_BASE, 1);
        String namespace = lab.cluster().spec().patroni().namespace();
        Process other = startOther(etcd, namespace);
        try {
            awaitPrimary(other, Duration.ofSeconds(45));
            Path secrets = Files.createDirectories(tmp.resolve("secrets"));
            secrets(secrets.resolve("lab"), s -> Files.readString(lab.dir().resolve("secrets").resolve(s.name())).strip());
            secrets(secrets.resolve("other"), s -> s == SecretName.superuser ? "other-super" : "unused");
            Path files = tmp.resolve("clusters");
            Map<String, String> env = Map.of("HOME", tmp.resolve("home").toString(), "XDG_CONFIG_HOME", tmp.resolve("xdg").toString());
            String[] discover = {"ha", "discover", "--etcd", etcd, "--namespace", namespace, "--all-scopes", "--out-dir", files.toString(),
                    "--secrets-dir", secrets.toString(), "--connect-timeout", "3s", "--read-timeout", "3s"};

            CommandRun first = CommandRun.inChild(tmp, env, concat(discover, "-o", "json"));
            System.err.println(first.err());
            assertThat(first.exitCode()).as(first.err()).isZero();
            JsonNode reports = JSON.readTree(first.out());
            assertThat(reports).hasSize(2);
            assertThat(reports.findValuesAsText("scope")).containsExactly("lab", "other");
            assertThat(reports.findValuesAsText("exit_code")).containsExactly("0", "0");
            Path contexts = tmp.resolve("xdg/connect/contexts.yaml");
            for (JsonNode r : reports) {
                String scope = r.path("scope").asText();
                assertThat(r.path("action").asText()).isEqualTo("created");
                assertThat(r.path("file").asText()).isEqualTo(files.resolve(scope + ".yaml").toString());
                assertThat(r.path("context").path("name").asText()).isEqualTo(scope);
                assertThat(r.path("context").path("action").asText()).isEqualTo("added");
                assertThat(r.path("context").path("contexts_file").asText()).isEqualTo(contexts.toString());
                assertThat(r.path("error").isNull()).isTrue();
                assertThat(r.path("checks").findValuesAsText("ok")).containsOnly("true");
                assertThat(r.path("secrets").get(0).path("source").asText())
                        .isEqualTo("file " + secrets.resolve(scope).resolve("superuser.password"));
            }
            try (Stream<Path> listed = Files.list(files)) {
                assertThat(listed.map(p -> p.getFileName().toString()).sorted().toList()).containsExactly("lab.yaml", "other.yaml");
            }
            assertThat(Files.readString(files.resolve("lab.yaml"))).contains("  scope: lab\n").contains("name: pg1");
            assertThat(Files.readString(files.resolve("other.yaml"))).contains("  scope: other\n").contains("name: solo")
                    .contains("port: " + OTHER_PG_PORT).doesNotContain("other-super");
            assertThat(first.err()).contains("== cluster lab").contains("== cluster other")
                    .contains("context other now names " + files.resolve("other.yaml"));
            String contextsText = Files.readString(contexts);
            assertThat(contextsText).contains("name: lab").contains("name: other");

            // status --all asks both contexts: one row each, with its own leader and members
            CommandRun all = CommandRun.inChild(tmp, env, "ha", "status", "--all", "-o", "json", "--connect-timeout", "3s", "--read-timeout", "3s");
            JsonNode fleet = JSON.readTree(all.out());
            List<String> rows = new ArrayList<>();
            fleet.path("clusters").forEach(c -> rows.add(c.path("context").asText() + " " + c.path("cluster").asText() + " "
                    + c.path("leader").asText() + " " + c.path("members_up").asInt() + "/" + c.path("members_total").asInt()));
            System.err.println(all.out());
            String labLeader = fleet.path("clusters").get(0).path("leader").asText();
            assertThat(labLeader).as(all.out()).matches("pg[123]");
            assertThat(rows).as(all.err()).containsExactly("lab lab " + labLeader + " 3/3", "other other solo 1/1");

            // a second run: nothing changes, not the files, not the contexts
            byte[] labBytes = Files.readAllBytes(files.resolve("lab.yaml"));
            byte[] otherBytes = Files.readAllBytes(files.resolve("other.yaml"));
            CommandRun second = CommandRun.inChild(tmp, env, concat(discover, "-o", "json", "-q"));
            assertThat(second.exitCode()).as(second.err()).isZero();
            assertThat(second.err()).isEmpty();
            JsonNode again = JSON.readTree(second.out());
            List<String> actions = new ArrayList<>();
            again.forEach(r -> actions.add(r.path("action").asText() + "/" + r.path("context").path("action").asText()));
            assertThat(actions).containsExactly("unchanged/unchanged", "unchanged/unchanged");
            assertThat(Files.readAllBytes(files.resolve("lab.yaml"))).isEqualTo(labBytes);
            assertThat(Files.readAllBytes(files.resolve("other.yaml"))).isEqualTo(otherBytes);
            assertThat(Files.readString(contexts)).isEqualTo(contextsText);

            // a context of one scope's name that names another file: that cluster is refused (2), the other still written
            CommandRun repoint = CommandRun.inChild(tmp, env, "ha", "context", "add", "other", lab.clusterFile().toString(), "--force");
            assertThat(repoint.exitCode()).as(repoint.err()).isZero();
            Files.delete(files.resolve("lab.yaml"));
            CommandRun refused = CommandRun.inChild(tmp, env, discover);
            assertThat(refused.exitCode()).isEqualTo(2);
            assertThat(refused.err()).contains("connect: cluster other: context 'other' already names " + lab.clusterFile()
                    + "; add --yes to point it at " + files.resolve("other.yaml"));
            assertThat(Files.readAllBytes(files.resolve("lab.yaml"))).isEqualTo(labBytes);
        } finally {
            stopOther(other, etcd, namespace);
        }
    }

    private interface SecretValue {
        String of(SecretName s) throws IOException;
    }

    private static void secrets(Path dir, SecretValue value) throws IOException {
        Files.createDirectories(dir);
        for (SecretName s : SecretName.values()) {
            Path target = dir.resolve(s.name() + ".password");
            Files.writeString(target, value.of(s) + "\n");
            Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-------"));
        }
    }

    private static String[] concat(String[] a, String... b) {
        List<String> all = new ArrayList<>(List.of(a));
        all.addAll(List.of(b));
        return all.toArray(String[]::new);
    }

    /** A real second cluster in the lab's etcd: one Patroni member, scope other, as the postgres user. */
    private static Process startOther(String etcd, String namespace) throws IOException, InterruptedException {
        clear(OTHER_DIR);
        Files.createDirectories(OTHER_DIR.resolve("data"));
        String yml = """
                scope: other
                namespace: %1$s/
                name: solo
                restapi:
                  listen: 127.0.0.1:%3$d
                  connect_address: 127.0.0.1:%3$d
                etcd3:
                  hosts: %4$s
                bootstrap:
                  dcs:
                    ttl: 30
                    loop_wait: 10
                    retry_timeout: 10
                  initdb:
                    - encoding: UTF8
                  pg_hba:
                    - local all all trust
                    - host all all 127.0.0.1/32 scram-sha-256
                    - host replication replicator 127.0.0.1/32 scram-sha-256
                postgresql:
                  listen: 127.0.0.1:%2$d
                  connect_address: 127.0.0.1:%2$d
                  data_dir: %5$s/data/solo
                  bin_dir: /usr/lib/postgresql/15/bin
                  pgpass: %5$s/pgpass
                  authentication:
                    superuser: {username: postgres, password: other-super}
                    replication: {username: replicator, password: other-repl}
                  parameters:
                    unix_socket_directories: %5$s
                    shared_buffers: 16MB
                    max_connections: 20
                """.formatted(namespace, OTHER_PG_PORT, OTHER_REST_PORT, URI.create(etcd).getAuthority(), OTHER_DIR);
        Path config = OTHER_DIR.resolve("patroni.yml");
        Files.writeString(config, yml);
        Process chown = new ProcessBuilder("chown", "-R", "postgres:postgres", OTHER_DIR.toString()).inheritIO().start();
        assertThat(chown.waitFor()).isZero();
        return new ProcessBuilder("runuser", "-u", "postgres", "--", "patroni", config.toString())
                .redirectErrorStream(true).redirectOutput(OTHER_DIR.resolve("patroni.log").toFile()).start();
    }

    private static void awaitPrimary(Process patroni, Duration within) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        Instant end = Instant.now().plus(within);
        while (Instant.now().isBefore(end)) {
            if (!patroni.isAlive()) {
                throw new AssertionError("patroni of scope other ended: " + Files.readString(OTHER_DIR.resolve("patroni.log")));
            }
            try {
                HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + OTHER_REST_PORT + "/primary"))
                        .timeout(Duration.ofSeconds(1)).build(), HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(500);
        }
        throw new AssertionError("patroni of scope other is not primary within " + within + ": " + Files.readString(OTHER_DIR.resolve("patroni.log")));
    }

    /** Patroni stops its postmaster on SIGTERM; a postmaster left behind is stopped by pg_ctl; the scope's keys leave etcd. */
    private static void stopOther(Process patroni, String etcd, String namespace) throws Exception {
        patroni.descendants().forEach(ProcessHandle::destroy);
        patroni.destroy();
        if (!patroni.waitFor(30, TimeUnit.SECONDS)) {
            patroni.destroyForcibly();
        }
        Path data = OTHER_DIR.resolve("data/solo");
        if (Files.exists(data.resolve("postmaster.pid"))) {
            new ProcessBuilder("runuser", "-u", "postgres", "--", "/usr/lib/postgresql/15/bin/pg_ctl", "-D", data.toString(), "stop",
                    "-m", "immediate", "-w", "-t", "20").inheritIO().start().waitFor(30, TimeUnit.SECONDS);
        }
        new ProcessBuilder("etcdctl", "--endpoints=" + etcd, "del", "--prefix", namespace + "/other/").inheritIO().start()
                .waitFor(15, TimeUnit.SECONDS);
        clear(OTHER_DIR);
    }

    private static void clear(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
