package io.connectha.integration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.connectha.cluster.ClusterFileLoader;
import io.connectha.cluster.ClusterSpec;
import io.connectha.cluster.LoadedCluster;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * `connect ha discover` on the real lab, without the lab's cluster file: from one member's generated
 * patroni.yml, etcd, HAProxy's config and admin socket, and pgbouncer.ini. The discovered file must
 * give `status` the same leader, members and problems as the lab's own file, and a second run the
 * same bytes.
 */
@Tag("integration")
@ExtendWith(LabExtension.class)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class DiscoverLabTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static List<String> discoverArgs(RunningLab lab, Path secrets, String... extra) {
        Path config = lab.dir().resolve("config");
        int base = LabExtension.PORT_BASE;
        List<String> args = new ArrayList<>(List.of("ha", "discover",
                "--patroni-config", config.resolve("patroni/pg1.yml").toString(),
                "--etcd", "http://" + LabLayout.etcdHost(1) + ":" + LabLayout.etcdClientPort(base, 1),
                "--haproxy-config", config.resolve("haproxy/haproxy.cfg").toString(),
                "--haproxy-socket", lab.dir().resolve("run/haproxy.sock").toString(),
                "--pgbouncer-config", config.resolve("pgbouncer/pgbouncer.ini").toString(),
                "--secrets-dir", secrets.toString()));
        args.addAll(List.of(extra));
        return args;
    }

    /** The lab's secrets under the names discover expects: DIR/<name>.password, mode 0600. */
    private static Path secretsDir(RunningLab lab, Path tmp) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("secrets"));
        for (SecretName s : SecretName.values()) {
            Path target = dir.resolve(s.name() + ".password");
            Files.copy(lab.dir().resolve("secrets").resolve(s.name()), target);
            Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-------"));
        }
        return dir;
    }

    @Test
    void discovers_the_lab_and_status_agrees_with_the_labs_own_file(RunningLab lab, @TempDir Path tmp) throws IOException {
        Health.awaitHealthy(lab, Duration.ofSeconds(90));
        Path secrets = secretsDir(lab, tmp);
        Path discovered = tmp.resolve("discovered/cluster.yaml");

        CommandRun first = CommandRun.of(discoverArgs(lab, secrets, "--out", discovered.toString(), "-o", "json").toArray(String[]::new));
        assertThat(first.exitCode()).as(first.err()).isZero();
        JsonNode report = JSON.readTree(first.out());
        System.err.println(first.err());
        assertThat(report.path("action").asText()).isEqualTo("created");
        assertThat(report.path("file").asText()).isEqualTo(discovered.toString());
        String text = Files.readString(discovered);
        assertThat(text).startsWith("# Discovered by `connect ha discover`").doesNotContainPattern("20\\d\\d-\\d\\d-\\d\\d");
        for (SecretName s : SecretName.values()) {
            String password = Files.readString(lab.dir().resolve("secrets").resolve(s.name())).strip();
            assertThat(text).as("no password in the file").doesNotContain(password);
        }
        // where the write and read backends came from, and by which rule
        assertThat(found(report, "haproxy.write_backend")).startsWith("write <- HAProxy socket ")
                .endsWith(": only its UP server is the leader (" + leaderAddress(lab) + ")");
        assertThat(found(report, "haproxy.read_backend")).startsWith("read <- HAProxy socket ").contains("its UP servers are replicas");
        assertThat(report.path("secrets")).hasSize(6);
        assertThat(report.path("secrets").get(0).path("source").asText()).isEqualTo("file " + secrets.resolve("superuser.password"));
        assertThat(report.path("checks").findValuesAsText("ok")).containsOnly("true");

        // the discovered file against the lab's own, field by field where discovery can know
        ClusterSpec own = lab.cluster().spec();
        LoadedCluster loaded = new ClusterFileLoader().load(discovered);
        ClusterSpec d = loaded.spec();
        assertThat(d.name()).isEqualTo("lab");
        assertThat(d.members()).extracting(m -> m.name() + "@" + m.address() + "/" + m.patroniPort())
                .containsExactlyElementsOf(own.members().stream().map(m -> m.name() + "@" + m.address() + "/" + m.patroniPort()).toList());
        assertThat(d.members()).extracting(m -> m.dataDir()).containsExactlyElementsOf(own.members().stream().map(m -> m.dataDir()).toList());
        assertThat(d.etcd().endpoints()).isEqualTo(own.etcd().endpoints());
        assertThat(List.of(d.patroni().scope(), d.patroni().namespace(), d.patroni().ttl(), d.patroni().loopWait(), d.patroni().retryTimeout()))
                .isEqualTo(List.of(own.patroni().scope(), own.patroni().namespace(), own.patroni().ttl(), own.patroni().loopWait(),
                        own.patroni().retryTimeout()));
        assertThat(d.patroni().restUser()).isEqualTo(own.patroni().restUser());
        assertThat(d.haproxy().writeAddress()).isEqualTo(own.haproxy().writeAddress());
        assertThat(d.haproxy().readAddress()).isEqualTo(own.haproxy().readAddress());
        assertThat(d.haproxy().statsSocket()).isEqualTo(own.haproxy().statsSocket());
        assertThat(List.of(d.haproxy().writeBackend(), d.haproxy().readBackend())).containsExactly("write", "read");
        assertThat(d.pgbouncer().address()).isEqualTo(own.pgbouncer().address());
        assertThat(d.pgbouncer().databases()).isEqualTo(own.pgbouncer().databases());
        assertThat(d.pgbouncer().adminUser()).isEqualTo(own.pgbouncer().adminUser());
        assertThat(d.pgbouncer().poolMode()).isEqualTo(own.pgbouncer().poolMode());

        // status through either file: the same leader, members and problems
        JsonNode viaOwn = status(lab.clusterFile());
        JsonNode viaDiscovered = status(discovered);
        assertThat(summary(viaDiscovered)).isEqualTo(summary(viaOwn));
        assertThat(viaDiscovered.path("leader").asText()).isNotEmpty().isEqualTo(viaOwn.path("leader").asText());
        assertThat(viaDiscovered.path("members")).hasSize(3);

        // a second run: the same bytes, and nothing rewritten
        Path again = tmp.resolve("again.yaml");
        CommandRun second = CommandRun.of(discoverArgs(lab, secrets, "--out", again.toString(), "-q").toArray(String[]::new));
        assertThat(second.exitCode()).as(second.err()).isZero();
        assertThat(second.err()).as("-q: nothing on stderr").isEmpty();
        assertThat(Files.readAllBytes(again)).isEqualTo(Files.readAllBytes(discovered));
        CommandRun third = CommandRun.of(discoverArgs(lab, secrets, "--out", discovered.toString()).toArray(String[]::new));
        assertThat(third.exitCode()).as(third.err()).isZero();
        assertThat(third.err()).contains(discovered + " is unchanged");
    }

    @Test
    void without_an_out_file_it_prints_the_file_and_a_different_file_is_not_replaced_without_yes(RunningLab lab, @TempDir Path tmp)
            throws IOException {
        Path secrets = secretsDir(lab, tmp);
        CommandRun printed = CommandRun.of(discoverArgs(lab, secrets).toArray(String[]::new));
        assertThat(printed.exitCode()).as(printed.err()).isZero();
        assertThat(printed.out()).startsWith("# Discovered by `connect ha discover`").contains("write_backend: write");
        assertThat(printed.err()).contains("found    patroni.scope = lab").contains("secret   superuser (password of postgres): put it in "
                + secrets.resolve("superuser.password"));

        Path other = tmp.resolve("other.yaml");
        Files.writeString(other, "name: something-else\n");
        CommandRun refused = CommandRun.of(discoverArgs(lab, secrets, "--out", other.toString()).toArray(String[]::new));
        assertThat(refused.exitCode()).isEqualTo(2);
        assertThat(refused.err().strip()).endsWith("not confirmed; stdin is not a terminal, so add --yes to go ahead");
        assertThat(Files.readString(other)).isEqualTo("name: something-else\n");
        CommandRun replaced = CommandRun.of(discoverArgs(lab, secrets, "--out", other.toString(), "--yes", "-q").toArray(String[]::new));
        assertThat(replaced.exitCode()).as(replaced.err()).isZero();
        assertThat(Files.readString(other)).isEqualTo(printed.out());

        CommandRun dry = CommandRun.of(discoverArgs(lab, secrets, "--out", tmp.resolve("dry.yaml").toString(), "--dry-run", "-q")
                .toArray(String[]::new));
        assertThat(dry.exitCode()).isZero();
        assertThat(tmp.resolve("dry.yaml")).doesNotExist();
    }

    @Test
    void pgbouncer_databases_come_from_its_console_when_only_its_address_is_given(RunningLab lab, @TempDir Path tmp) throws IOException {
        Path secrets = secretsDir(lab, tmp);
        List<String> args = discoverArgs(lab, secrets, "-o", "json", "-q");
        int at = args.indexOf("--pgbouncer-config");
        args.set(at, "--pgbouncer");
        args.set(at + 1, LabLayout.FRONT_HOST + ":" + LabLayout.pgbouncerPort(LabExtension.PORT_BASE));
        CommandRun run = CommandRun.of(args.toArray(String[]::new));
        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode report = JSON.readTree(run.out());
        assertThat(found(report, "pgbouncer.databases.app")).isEqualTo("app <- PgBouncer console " + LabLayout.FRONT_HOST + ":"
                + LabLayout.pgbouncerPort(LabExtension.PORT_BASE) + " (SHOW DATABASES)");
        assertThat(report.path("content").asText()).contains("""
                pgbouncer:
                  host: %s
                  port: %d
                  admin_user: pgbouncer_admin
                  databases:
                    - app
                  target: haproxy
                """.formatted(LabLayout.FRONT_HOST, LabLayout.pgbouncerPort(LabExtension.PORT_BASE)));
    }

    @Test
    void context_registers_the_written_file_and_status_runs_by_its_name(RunningLab lab, @TempDir Path tmp) throws Exception {
        Path secrets = secretsDir(lab, tmp);
        java.util.Map<String, String> env = java.util.Map.of("HOME", tmp.resolve("home").toString(),
                "XDG_CONFIG_HOME", tmp.resolve("xdg").toString());
        Path out = tmp.resolve("lab-discovered.yaml");
        CommandRun first = CommandRun.inChild(tmp, env, discoverArgs(lab, secrets, "--out", out.toString(), "--context", "adopted")
                .toArray(String[]::new));
        assertThat(first.exitCode()).as(first.err()).isZero();
        Path contexts = tmp.resolve("xdg/connect/contexts.yaml");
        assertThat(first.err()).contains("context adopted now names " + out + " (" + contexts + ")");
        assertThat(Files.readString(contexts)).contains("name: adopted").contains("\"" + out + "\"");

        CommandRun status = CommandRun.inChild(tmp, env, "ha", "--context", "adopted", "status", "-o", "json");
        assertThat(JSON.readTree(status.out()).path("leader").asText()).as(status.err())
                .isEqualTo(status(lab.clusterFile()).path("leader").asText());

        CommandRun again = CommandRun.inChild(tmp, env, discoverArgs(lab, secrets, "--out", out.toString(), "--context", "adopted", "-q")
                .toArray(String[]::new));
        assertThat(again.exitCode()).as(again.err()).isZero();
        Path other = tmp.resolve("other.yaml");
        CommandRun refused = CommandRun.inChild(tmp, env, discoverArgs(lab, secrets, "--out", other.toString(), "--context", "adopted")
                .toArray(String[]::new));
        assertThat(refused.exitCode()).isEqualTo(2);
        assertThat(refused.err().strip()).isEqualTo("connect: context 'adopted' already names " + out + "; add --yes to point it at " + other);
        assertThat(other).as("nothing written when the context refuses").doesNotExist();
        CommandRun noOut = CommandRun.inChild(tmp, env, discoverArgs(lab, secrets, "--context", "x").toArray(String[]::new));
        assertThat(noOut.exitCode()).isEqualTo(2);
        assertThat(noOut.err().strip()).isEqualTo("connect: --context NAME registers the file discover writes: give --out FILE too");
    }

    @Test
    void an_unreachable_etcd_is_enough_to_fail_only_when_nothing_else_gave_the_members(RunningLab lab, @TempDir Path tmp) {
        // etcd down at a port nobody listens on, but patroni.yml's REST API gives every member
        CommandRun run = CommandRun.of("ha", "discover", "--patroni-config",
                lab.dir().resolve("config/patroni/pg1.yml").toString(), "--etcd", "http://127.0.0.1:27999", "-o", "json", "-q");
        assertThat(run.exitCode()).as(run.err()).isZero();
        CommandRun alone = CommandRun.of("ha", "discover", "--etcd", "http://127.0.0.1:27999");
        assertThat(alone.exitCode()).isEqualTo(5);
        assertThat(alone.err().strip()).startsWith("connect: could not reach etcd at 127.0.0.1:27999");
        assertThat(alone.err().lines().count()).as("one line").isEqualTo(1);
    }

    private static String found(JsonNode report, String item) {
        for (JsonNode f : report.path("found")) {
            if (f.path("item").asText().equals(item)) {
                return f.path("value").asText() + " <- " + f.path("source").asText();
            }
        }
        throw new AssertionError("not found: " + item + " in " + report);
    }

    private static JsonNode status(Path clusterFile) throws IOException {
        CommandRun run = CommandRun.of("ha", "-c", clusterFile.toString(), "status", "-o", "json");
        return JSON.readTree(run.out());
    }

    private static String leaderName(JsonNode status) {
        return status.path("leader").asText(null);
    }

    private String leaderAddress(RunningLab lab) throws IOException {
        String leader = leaderName(status(lab.clusterFile()));
        return lab.cluster().spec().member(leader).orElseThrow().address();
    }

    /** What must agree: the leader, each member's role, and the problems' codes. */
    private static TreeMap<String, List<String>> summary(JsonNode status) {
        TreeMap<String, List<String>> s = new TreeMap<>();
        s.put("leader", java.util.Collections.singletonList(leaderName(status)));
        List<String> members = new ArrayList<>();
        status.path("members").forEach(m -> members.add(m.path("name").asText() + ":" + m.path("role").asText()));
        s.put("members", members);
        List<String> problems = new ArrayList<>();
        status.path("problems").forEach(p -> problems.add(p.path("code").asText()));
        s.put("problems", problems);
        return s;
    }
}
