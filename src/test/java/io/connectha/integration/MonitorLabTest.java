package io.connectha.integration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.connectha.support.CommandRun;
import io.connectha.support.Health;
import io.connectha.support.LabExtension;
import io.connectha.support.LabExtension.RunningLab;
import io.connectha.support.LabLeader;
import io.connectha.support.LabSql;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code connect ha monitor} on the lab, with real parts: Debian's Prometheus scrapes it, a switchover
 * drill runs under it, and its events are held against the drill's own timeline.
 */
@Tag("integration")
@ExtendWith(LabExtension.class)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class MonitorLabTest {

    private static final int MONITOR_PORT = LabExtension.PORT_BASE + 80;
    private static final int PROMETHEUS_PORT = LabExtension.PORT_BASE + 81;
    private static final Duration PROBE_INTERVAL = Duration.ofMillis(100);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    @TempDir
    Path dir;

    @Test
    void prometheus_sees_the_leader_move_and_the_events_agree_with_the_drills_timeline(RunningLab lab) throws Exception {
        Health.awaitHealthy(lab, Duration.ofSeconds(90));
        String before = LabLeader.of(lab).name();
        Path events = dir.resolve("events.jsonl");
        Path hooked = dir.resolve("hooked.jsonl");
        Path hook = dir.resolve("hook.sh");
        Files.writeString(hook, "#!/bin/sh\n# the event's JSON arrives on stdin, its type in the environment\n"
                + "printf '%s ' \"$CONNECT_EVENT_TYPE\" >> " + hooked + "\ncat >> " + hooked + "\n");
        Files.setPosixFilePermissions(hook, PosixFilePermissions.fromString("rwx------"));

        Process monitor = start(dir.resolve("monitor.err"), javaCommand("ha", "-c", lab.clusterFile().toString(), "monitor",
                "--listen", "127.0.0.1:" + MONITOR_PORT, "--probe-interval", PROBE_INTERVAL.toMillis() + "ms", "--events-file",
                events.toString(), "--on-event", hook.toString(), "--probe-id", "monitor-lab-test"));
        Process prometheus = null;
        try {
            await("the monitor's first round and probe (its log: " + dir.resolve("monitor.err") + ")", Duration.ofSeconds(30), () -> {
                if (!monitor.isAlive()) {
                    throw new AssertionError("the monitor ended (" + monitor.exitValue() + "): " + Files.readString(dir.resolve("monitor.err")));
                }
                String m = get("http://127.0.0.1:" + MONITOR_PORT + "/metrics");
                return m.contains("connect_cluster_has_leader{cluster=\"lab\"} 1")
                        && m.contains("connect_probe_up{cluster=\"lab\",path=\"write\"} 1");
            });
            assertThat(get("http://127.0.0.1:" + MONITOR_PORT + "/healthz")).isEqualTo("ok\n");
            // the real scrape, linted by promtool as Prometheus's users do
            Path scraped = dir.resolve("metrics.txt");
            Files.writeString(scraped, get("http://127.0.0.1:" + MONITOR_PORT + "/metrics"));
            Process lint = new ProcessBuilder("promtool", "check", "metrics").redirectInput(scraped.toFile()).redirectErrorStream(true).start();
            String lintOut = new String(lint.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(lint.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(lint.exitValue()).as(lintOut).isZero();
            assertThat(lintOut).isEmpty();
            JsonNode status = JSON.readTree(get("http://127.0.0.1:" + MONITOR_PORT + "/status"));
            assertThat(status.path("leader").asText()).isEqualTo(before);
            assertThat(status.path("members")).hasSize(lab.cluster().spec().members().size());
            // the probe's schema: the app user may move its heartbeat, and nothing else
            String app = lab.cluster().spec().postgresql().appUser();
            assertThat(LabSql.text(lab, before, lab.cluster().spec().postgresql().database(),
                    "SELECT string_agg(privilege_type, ',' ORDER BY privilege_type) FROM information_schema.role_table_grants "
                            + "WHERE table_schema = 'connect_probe' AND table_name = 'heartbeat' AND grantee = '" + app + "'"))
                    .isEqualTo("SELECT,UPDATE");

            prometheus = startPrometheus();
            await("Prometheus scraping the monitor", Duration.ofSeconds(40), () -> "1".equals(value(query("up{job=\"connect\"}"))));
            assertThat(label(query("connect_member_is_leader == 1"), "member")).isEqualTo(before);

            CommandRun drill = CommandRun.of("ha", "-c", lab.clusterFile().toString(), "drill", "switchover", "--clients", "2",
                    "--duration", "4s", "--report", dir.toString());
            JsonNode report = JSON.readTree(Files.readString(dir.resolve("report.json")));
            assertThat(drill.exitCode()).as(drill.out() + drill.err()).isZero();
            String after = report.path("new_leader").asText();
            assertThat(after).isNotEqualTo(before);

            await("Prometheus seeing the new leader", Duration.ofSeconds(20),
                    () -> after.equals(label(query("connect_member_is_leader == 1"), "member")));
            assertThat(value(query("connect_cluster_leader_changes_total"))).isEqualTo("1");
            await("the probe streaming its heartbeat again", Duration.ofSeconds(20), () -> get("http://127.0.0.1:" + MONITOR_PORT
                    + "/metrics").contains("connect_probe_up{cluster=\"lab\",path=\"write\"} 1"));

            // SIGTERM: the monitor stops within 2 s, exit 0, and takes its schema with it
            Instant term = Instant.now();
            monitor.destroy();
            assertThat(monitor.waitFor(2, TimeUnit.SECONDS)).as("stopped within 2 s of SIGTERM").isTrue();
            Duration stopped = Duration.between(term, Instant.now());
            assertThat(monitor.exitValue()).as(Files.readString(dir.resolve("monitor.err"))).isZero();
            long schemas = LabSql.one(lab, after, lab.cluster().spec().postgresql().database(),
                    "SELECT count(*) FROM pg_namespace WHERE nspname = 'connect_probe'", rs -> rs.getLong(1));
            assertThat(schemas).as("the probe's schema is gone").isZero();

            // events against the drill's timeline
            List<JsonNode> lines = new ArrayList<>();
            for (String l : Files.readAllLines(events)) {
                lines.add(JSON.readTree(l));
            }
            Instant faultAt = Instant.parse(report.path("fault_at").asText());
            JsonNode changed = first(lines, e -> e.path("type").asText().equals("leader_changed"));
            assertThat(changed.path("from").asText()).isEqualTo(before);
            assertThat(changed.path("to").asText()).isEqualTo(after);
            assertThat(changed.path("source").asText()).isEqualTo("etcd_watch");
            Instant drillSaw = faultAt.plusMillis(report.path("new_leader_key_ms").asLong());
            long leaderSkew = Duration.between(drillSaw, Instant.parse(changed.path("ts").asText())).toMillis();
            assertThat(Math.abs(leaderSkew)).as("the monitor's leader change against the drill's 'another member holds the leader key'")
                    .isLessThanOrEqualTo(200);
            JsonNode recovered = first(lines, e -> e.path("type").asText().equals("probe_recovered") && e.path("to").asText().equals("write"));
            Instant clientsBack = faultAt.plusMillis(report.path("client_rto_ms").asLong());
            long recoverySkew = Duration.between(clientsBack, Instant.parse(recovered.path("ts").asText())).toMillis();
            JsonNode failing = first(lines, e -> e.path("type").asText().equals("probe_failing") && e.path("to").asText().equals("write"));
            System.out.printf("monitor: probe failing at fault %+d ms, recovered at fault %+d ms (outage %d ms); drill client RTO %d ms, "
                            + "longest gap %d ms; events %s%n", Duration.between(faultAt, Instant.parse(failing.path("ts").asText())).toMillis(),
                    Duration.between(faultAt, Instant.parse(recovered.path("ts").asText())).toMillis(), recovered.path("outage_ms").asLong(),
                    report.path("client_rto_ms").asLong(), report.path("longest_gap_ms").asLong(), Files.readString(events));
            assertThat(Math.abs(recoverySkew)).as("the probe's recovery against the drill's client RTO")
                    .isLessThanOrEqualTo(PROBE_INTERVAL.toMillis() + 100);
            assertThat(lines.get(lines.size() - 1).path("type").asText()).isEqualTo("monitor_stopping");
            assertThat(Files.readString(hooked)).as("--on-event got the leader change on stdin")
                    .contains("leader_changed {\"ts\":\"" + changed.path("ts").asText() + "\"");
            System.out.printf("monitor: leader change %+d ms from the drill's, probe recovery %+d ms from its client RTO (%d ms), "
                            + "probe outage %d ms, stopped %d ms after SIGTERM%n", leaderSkew, recoverySkew, report.path("client_rto_ms").asLong(),
                    recovered.path("outage_ms").asLong(), stopped.toMillis());
        } finally {
            monitor.destroyForcibly();
            if (prometheus != null) {
                prometheus.destroyForcibly();
                prometheus.waitFor(5, TimeUnit.SECONDS);
            }
            LabSql.execute(lab, LabLeader.of(lab).name(), lab.cluster().spec().postgresql().database(), "DROP TABLE IF EXISTS connect_drill");
        }
        Health.awaitHealthy(lab, Duration.ofSeconds(90));
    }

    private Process startPrometheus() throws IOException {
        Path config = dir.resolve("prometheus.yml");
        Files.writeString(config, "global:\n  scrape_interval: 1s\n  scrape_timeout: 500ms\nscrape_configs:\n  - job_name: connect\n"
                + "    static_configs:\n      - targets: ['127.0.0.1:" + MONITOR_PORT + "']\n");
        return start(dir.resolve("prometheus.log"), List.of("prometheus", "--config.file=" + config, "--storage.tsdb.path=" + dir.resolve("tsdb"),
                "--web.listen-address=127.0.0.1:" + PROMETHEUS_PORT, "--log.level=warn"));
    }

    private static List<String> javaCommand(String... args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "io.connectha.cli.Main"));
        command.addAll(List.of(args));
        return command;
    }

    private static Process start(Path log, List<String> command) throws IOException {
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
    }

    private static String get(String url) {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.body();
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    /** The first result of an instant query through Prometheus's HTTP API; null when it has none. */
    private static JsonNode query(String promql) throws IOException {
        String body = get("http://127.0.0.1:" + PROMETHEUS_PORT + "/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
        if (body.isEmpty()) {
            return null;
        }
        JsonNode result = JSON.readTree(body).path("data").path("result");
        return result.isArray() && !result.isEmpty() ? result.get(0) : null;
    }

    private static String value(JsonNode sample) {
        return sample == null ? null : sample.path("value").path(1).asText();
    }

    private static String label(JsonNode sample, String name) {
        return sample == null ? null : sample.path("metric").path(name).asText(null);
    }

    private static JsonNode first(List<JsonNode> lines, Predicate<JsonNode> which) {
        return lines.stream().filter(which).findFirst().orElseThrow(() -> new AssertionError("no such event in " + lines));
    }

    private interface Check {
        boolean ok() throws Exception;
    }

    private static void await(String what, Duration within, Check check) throws Exception {
        long until = System.nanoTime() + within.toNanos();
        while (!check.ok()) {
            if (System.nanoTime() > until) {
                throw new AssertionError(what + ": not within " + within.toSeconds() + " s");
            }
            Thread.sleep(250);
        }
    }
}
