package io.connectha.monitor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.sun.net.httpserver.HttpServer;
import io.connectha.process.ProcessController;
import io.connectha.process.ProcessController.ProcessSpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The monitoring examples as their users will run them: promtool on the scrape config, the rules and
 * the rules' unit tests; the systemd unit's stop timeout; the webhook against a real HTTP server; and
 * the docs' metric table against every metric the rules use and every metric the monitor exports, so
 * that none of the three can drift from the others.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class MonitorExamplesTest {

    private static final Path EXAMPLES = Path.of("examples/monitoring").toAbsolutePath();
    private static final Path RULES = EXAMPLES.resolve("connect-alerts.yml");
    private static final Path DOC = Path.of("docs/monitor.md");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    // PromQL's metric name grammar; recorded names start with "cluster:", so only exported names match
    private static final Pattern METRIC_NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Path METRICS_SOURCE = Path.of("src/main/java/io/connectha/render/MonitorMetrics.java");
    private static final Pattern QUOTED_METRIC = Pattern.compile("\"(connect_[a-z0-9_]+)\"");
    private static final Pattern DOC_TABLE_ROW = Pattern.compile("^\\| `(connect_[a-z0-9_]+)` \\|", Pattern.MULTILINE);
    // below 32768 and in this helper's own range, so that it meets no lab's port
    private static final int WEBHOOK_PORT = 23591;

    private HttpServer server;
    private ExecutorService handlers;
    private final CountDownLatch release = new CountDownLatch(1);

    @AfterEach
    void stop_the_webhook_server() {
        release.countDown();
        if (server != null) {
            server.stop(0);
            handlers.shutdownNow();
        }
    }

    @Test
    void promtool_accepts_the_scrape_config_with_its_rule_file(@TempDir Path logs) {
        ProcessController.Result r = promtool(logs, "check", "config", EXAMPLES.resolve("prometheus.yml").toString());
        assertThat(r.exitCode()).as(r.output()).isZero();
        assertThat(r.output()).contains(
                "SUCCESS: 1 rule files found",
                "SUCCESS: " + EXAMPLES.resolve("prometheus.yml") + " is valid prometheus config file syntax",
                "SUCCESS: 15 rules found");
    }

    @Test
    void the_scrape_config_scrapes_the_unit_s_listen_address_every_5s_with_a_1s_timeout() throws IOException {
        JsonNode config = YAML.readTree(EXAMPLES.resolve("prometheus.yml").toFile());
        assertThat(config.at("/rule_files").toString()).isEqualTo("[\"connect-alerts.yml\"]");
        JsonNode job = config.at("/scrape_configs/0");
        assertThat(job.at("/job_name").asText()).isEqualTo("connect");
        assertThat(job.at("/scrape_interval").asText()).isEqualTo("5s");
        assertThat(job.at("/scrape_timeout").asText()).isEqualTo("1s");
        assertThat(job.at("/static_configs/0/targets").toString()).isEqualTo("[\"127.0.0.1:9187\"]");
        assertThat(unitService().get("ExecStart").get(0)).contains("--listen 127.0.0.1:9187 ");
    }

    @Test
    void promtool_accepts_the_rules_five_recorded_and_ten_alerts(@TempDir Path logs) throws IOException {
        ProcessController.Result r = promtool(logs, "check", "rules", RULES.toString());
        assertThat(r.exitCode()).as(r.output()).isZero();
        assertThat(r.output()).contains("SUCCESS: 15 rules found");

        JsonNode groups = YAML.readTree(RULES.toFile()).at("/groups");
        assertThat(groups).hasSize(1);
        assertThat(groups.at("/0/name").asText()).isEqualTo("connect");
        List<String> recorded = new ArrayList<>();
        List<String> alerts = new ArrayList<>();
        for (JsonNode rule : groups.at("/0/rules")) {
            if (rule.has("record")) {
                recorded.add(rule.get("record").asText());
            } else {
                alerts.add(rule.get("alert").asText());
            }
        }
        assertThat(recorded).containsExactly(
                "cluster:connect_probe_write_errors:ratio_rate5m", "cluster:connect_probe_write_errors:ratio_rate30m",
                "cluster:connect_probe_write_errors:ratio_rate1h", "cluster:connect_probe_write_errors:ratio_rate6h",
                "cluster:connect_slo_error_budget:ratio");
        assertThat(alerts).containsExactly(
                "ConnectFailover", "ConnectNoLeader", "ConnectReplicaNotStreaming", "ConnectReplicationLag",
                "ConnectEtcdQuorumLost", "ConnectHaproxyWriteNotOnLeader", "ConnectMonitorStale", "ConnectMonitorDown",
                "ConnectErrorBudgetBurnFast", "ConnectErrorBudgetBurnSlow");
    }

    @Test
    void every_alert_waits_its_for_has_a_severity_and_names_the_cluster_and_member() throws IOException {
        Map<String, JsonNode> alerts = alerts();
        alerts.forEach((name, rule) -> {
            assertThat(rule.has("for")).as(name + " has for:").isTrue();
            assertThat(rule.at("/labels/severity").asText()).as(name).isIn("warning", "critical");
            assertThat(rule.at("/annotations/summary").asText()).as(name).isNotBlank();
            assertThat(rule.at("/annotations/description").asText()).as(name).isNotBlank();
        });
        // up{} has no cluster label: Prometheus did not get the metrics that carry it
        alerts.entrySet().stream().filter(e -> !e.getKey().equals("ConnectMonitorDown")).forEach(e ->
                assertThat(e.getValue().at("/annotations/summary").asText()).as(e.getKey()).contains("{{ $labels.cluster }}"));
        assertThat(alerts.get("ConnectMonitorDown").at("/annotations/summary").asText()).contains("{{ $labels.instance }}");
        for (String perMember : List.of("ConnectReplicaNotStreaming", "ConnectReplicationLag")) {
            assertThat(alerts.get(perMember).at("/annotations/summary").asText()).contains("{{ $labels.member }}");
        }
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("ConnectFailover", "0s/warning");
        expected.put("ConnectNoLeader", "30s/critical");
        expected.put("ConnectReplicaNotStreaming", "1m/critical");
        expected.put("ConnectReplicationLag", "2m/warning");
        expected.put("ConnectEtcdQuorumLost", "15s/critical");
        expected.put("ConnectHaproxyWriteNotOnLeader", "30s/critical");
        expected.put("ConnectMonitorStale", "1m/warning");
        expected.put("ConnectMonitorDown", "1m/warning");
        expected.put("ConnectErrorBudgetBurnFast", "2m/critical");
        expected.put("ConnectErrorBudgetBurnSlow", "15m/warning");
        Map<String, String> actual = new LinkedHashMap<>();
        alerts.forEach((name, rule) -> actual.put(name, rule.get("for").asText() + "/" + rule.at("/labels/severity").asText()));
        assertThat(actual).containsExactlyEntriesOf(expected);
        assertThat(alerts.get("ConnectReplicationLag").get("expr").asText().strip()).isEqualTo("connect_member_lag_bytes > 16777216");
    }

    @Test
    void the_burn_rate_alerts_take_the_slo_from_the_monitor_not_from_a_constant() throws IOException {
        Map<String, JsonNode> alerts = alerts();
        String fast = alerts.get("ConnectErrorBudgetBurnFast").get("expr").asText();
        String slow = alerts.get("ConnectErrorBudgetBurnSlow").get("expr").asText();
        assertThat(fast).contains("ratio_rate1h > 14.4 * cluster:connect_slo_error_budget:ratio",
                "and cluster:connect_probe_write_errors:ratio_rate5m > 14.4 * cluster:connect_slo_error_budget:ratio");
        assertThat(slow).contains("ratio_rate6h > 6 * cluster:connect_slo_error_budget:ratio",
                "and cluster:connect_probe_write_errors:ratio_rate30m > 6 * cluster:connect_slo_error_budget:ratio");
        assertThat(fast + slow).doesNotContain("0.999", "0.001");
        JsonNode budget = recorded().get("cluster:connect_slo_error_budget:ratio");
        assertThat(budget.get("expr").asText().strip()).isEqualTo("1 - max by (cluster) (connect_slo_objective_ratio)");
        assertThat(recorded().get("cluster:connect_probe_write_errors:ratio_rate1h").get("expr").asText())
                .contains("sum by (cluster) (rate(connect_probe_requests_total{path=\"write\",result=\"error\"}[1h]))",
                        "/ sum by (cluster) (rate(connect_probe_requests_total{path=\"write\"}[1h]))");
    }

    @Test
    void the_rules_unit_tests_pass_and_cover_a_failover_a_replica_that_resumes_and_the_page(@TempDir Path logs) throws IOException {
        Path tests = EXAMPLES.resolve("connect-alerts.test.yml");
        ProcessController.Result r = promtool(logs, "test", "rules", tests.toString());
        assertThat(r.exitCode()).as(r.output()).isZero();
        assertThat(r.output()).contains("Unit Testing:  " + tests, "  SUCCESS").doesNotContain("FAILED");

        // what the unit tests must keep proving: an alert firing (and, where said, resolving later)
        Map<String, List<Boolean>> firingByAlert = new LinkedHashMap<>();
        for (JsonNode test : YAML.readTree(tests.toFile()).get("tests")) {
            for (JsonNode eval : test.get("alert_rule_test")) {
                firingByAlert.computeIfAbsent(eval.get("alertname").asText(), k -> new ArrayList<>())
                        .add(!eval.get("exp_alerts").isEmpty());
            }
        }
        assertThat(firingByAlert.get("ConnectFailover")).contains(true);
        assertThat(firingByAlert.get("ConnectReplicaNotStreaming")).containsSubsequence(false, true, false);
        assertThat(firingByAlert.get("ConnectErrorBudgetBurnFast")).containsSubsequence(false, true);
        assertThat(firingByAlert.keySet()).containsAll(alerts().keySet());
    }

    @Test
    void every_metric_the_rules_use_is_in_the_docs_metric_table() throws IOException {
        Set<String> used = new TreeSet<>();
        for (JsonNode rule : YAML.readTree(RULES.toFile()).at("/groups/0/rules")) {
            Matcher m = METRIC_NAME.matcher(rule.get("expr").asText());
            while (m.find()) {
                if (m.group().startsWith("connect_")) {
                    used.add(m.group().replaceFirst("_(bucket|sum|count)$", ""));
                }
            }
        }
        assertThat(used).contains("connect_cluster_leader_changes_total", "connect_cluster_timeline", "connect_member_streaming",
                "connect_member_lag_bytes", "connect_probe_requests_total", "connect_slo_objective_ratio",
                "connect_monitor_gather_age_seconds", "connect_haproxy_write_reaches_leader", "connect_etcd_quorum");

        assertThat(documented()).as("metrics in docs/monitor.md's table").containsAll(used);
    }

    @Test
    void every_metric_the_monitor_exports_is_in_the_docs_metric_table_and_no_other() throws IOException {
        // the names as MonitorMetrics writes them; a histogram's series are documented under its family's name
        Set<String> exported = new TreeSet<>();
        Matcher m = QUOTED_METRIC.matcher(Files.readString(METRICS_SOURCE));
        while (m.find()) {
            exported.add(m.group(1).replaceFirst("_(bucket|sum|count)$", ""));
        }
        assertThat(exported).contains("connect_cluster_has_leader", "connect_probe_duration_seconds", "connect_slo_objective_ratio");
        assertThat(documented()).as("metrics in docs/monitor.md's table").isEqualTo(exported);
    }

    private static Set<String> documented() throws IOException {
        Set<String> documented = new TreeSet<>();
        Matcher row = DOC_TABLE_ROW.matcher(Files.readString(DOC));
        while (row.find()) {
            documented.add(row.group(1));
        }
        return documented;
    }

    @Test
    void the_unit_runs_ha_monitor_as_postgres_and_stops_within_its_timeout() throws IOException {
        Map<String, List<String>> service = unitService();
        assertThat(service.get("Type")).containsExactly("simple");
        assertThat(service.get("User")).containsExactly("postgres");
        assertThat(service.get("ExecStart")).containsExactly("/usr/local/bin/connect ha monitor --listen 127.0.0.1:9187"
                + " --events-file /var/log/connect/events.jsonl");
        assertThat(service.get("Environment")).contains("CONNECT_CLUSTER=/etc/connect/cluster.yaml");
        // the monitor stops within 2 s of SIGTERM; systemd's SIGKILL must come later than that
        assertThat(service.get("KillSignal")).containsExactly("SIGTERM");
        assertThat(service.get("TimeoutStopSec")).containsExactly("5");
        assertThat(service.get("Restart")).containsExactly("on-failure");
        assertThat(service.get("NoNewPrivileges")).containsExactly("yes");
        assertThat(service.get("ProtectSystem")).containsExactly("strict");
        // the events file's directory is the one place it writes
        assertThat(service.get("ReadWritePaths")).containsExactly("/var/log/connect");
        assertThat(service.get("PrivateTmp")).containsExactly("yes");
        // the JIT writes the code it runs
        assertThat(service).doesNotContainKey("MemoryDenyWriteExecute");
    }

    @Test
    void the_webhook_posts_the_event_from_stdin_as_json_and_gives_up_at_its_max_time() throws Exception {
        Path script = EXAMPLES.resolve("on-event-webhook.sh");
        assertThat(Files.isExecutable(script)).isTrue();
        assumeTrue(onPath("curl"), "curl is not installed");
        List<String> received = new ArrayList<>();
        startServer(received);
        String event = "{\"ts\":\"2026-12-05T14:00:00.123Z\",\"type\":\"leader_changed\",\"cluster\":\"orders\",\"member\":\"pg2\","
                + "\"from\":\"pg1\",\"to\":\"pg2\",\"source\":\"etcd_watch\",\"message\":\"pg2 holds the leader key \\\"now\\\"\"}\n";
        String url = "http://127.0.0.1:" + server.getAddress().getPort();

        Run posted = runScript(script, event, Map.of("CONNECT_WEBHOOK_URL", url + "/hook?token=s3cret", "CONNECT_EVENT_TYPE", "leader_changed"));
        assertThat(posted.exitCode()).as(posted.err()).isZero();
        assertThat(received).containsExactly("/hook?token=s3cret application/json " + event);

        // only the types asked for are posted; the others end at once, successfully
        Run skipped = runScript(script, event, Map.of("CONNECT_WEBHOOK_URL", url + "/hook",
                "CONNECT_WEBHOOK_TYPES", "leader_changed etcd_quorum_lost", "CONNECT_EVENT_TYPE", "member_up"));
        assertThat(skipped.exitCode()).isZero();
        assertThat(received).hasSize(1);

        // a webhook that hangs: curl's own --max-time ends it, with curl's timeout code (28)
        long start = System.nanoTime();
        Run hung = runScript(script, event, Map.of("CONNECT_WEBHOOK_URL", url + "/hang", "CONNECT_WEBHOOK_MAX_TIME", "1"));
        long tookMs = Duration.ofNanos(System.nanoTime() - start).toMillis();
        assertThat(hung.exitCode()).isEqualTo(28);
        assertThat(hung.err()).contains("curl: (28) Operation timed out after 100");
        assertThat(tookMs).isBetween(900L, 4000L);

        Run noUrl = runScript(script, event, Map.of());
        assertThat(noUrl.exitCode()).isEqualTo(2);
        assertThat(noUrl.err()).isEqualTo("on-event-webhook: CONNECT_WEBHOOK_URL is not set\n");
    }

    private record Run(int exitCode, String err) {
    }

    private static Run runScript(Path script, String stdin, Map<String, String> env) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("sh", "-c", script.toString());
        pb.environment().clear();
        pb.environment().put("PATH", ProcessController.CLEAN_PATH);
        pb.environment().putAll(env);
        pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
        Process p = pb.start();
        try (OutputStream in = p.getOutputStream()) {
            in.write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        String err;
        try (InputStream e = p.getErrorStream()) {
            err = new String(e.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).as("the script ended").isTrue();
        return new Run(p.exitValue(), err);
    }

    private void startServer(List<String> received) throws IOException {
        for (int port = WEBHOOK_PORT; server == null; port++) {
            try {
                server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
            } catch (BindException e) {
                if (port >= WEBHOOK_PORT + 5) {
                    throw e;
                }
            }
        }
        server.createContext("/hook", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            synchronized (received) {
                received.add(exchange.getRequestURI() + " " + exchange.getRequestHeaders().getFirst("Content-Type") + " " + body);
            }
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        server.createContext("/hang", exchange -> {
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.close();
        });
        handlers = Executors.newCachedThreadPool();
        server.setExecutor(handlers);
        server.start();
    }

    private static ProcessController.Result promtool(Path logs, String... args) {
        assumeTrue(onPath("promtool"), "promtool is not installed (scripts/install-deps.sh installs it)");
        List<String> command = new ArrayList<>(List.of("promtool"));
        command.addAll(List.of(args));
        return new ProcessController().run(new ProcessSpec("promtool", command, Map.of(), EXAMPLES, logs.resolve("promtool.log"), false),
                Duration.ofSeconds(60));
    }

    private static boolean onPath(String program) {
        return Stream.of(ProcessController.CLEAN_PATH.split(":")).anyMatch(dir -> Files.isExecutable(Path.of(dir, program)));
    }

    private static Map<String, JsonNode> alerts() throws IOException {
        Map<String, JsonNode> alerts = new LinkedHashMap<>();
        for (JsonNode rule : YAML.readTree(RULES.toFile()).at("/groups/0/rules")) {
            if (rule.has("alert")) {
                alerts.put(rule.get("alert").asText(), rule);
            }
        }
        return alerts;
    }

    private static Map<String, JsonNode> recorded() throws IOException {
        Map<String, JsonNode> recorded = new LinkedHashMap<>();
        for (JsonNode rule : YAML.readTree(RULES.toFile()).at("/groups/0/rules")) {
            if (rule.has("record")) {
                recorded.put(rule.get("record").asText(), rule);
            }
        }
        return recorded;
    }

    /** The [Service] section's settings, each with its values in order (Environment= may come several times). */
    private static Map<String, List<String>> unitService() throws IOException {
        Map<String, List<String>> service = new LinkedHashMap<>();
        String section = "";
        for (String line : Files.readAllLines(EXAMPLES.resolve("connect-monitor.service"))) {
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("#") || l.startsWith(";")) {
                continue;
            }
            if (l.startsWith("[")) {
                section = l;
            } else if (section.equals("[Service]") && l.contains("=")) {
                service.computeIfAbsent(l.substring(0, l.indexOf('=')), k -> new ArrayList<>()).add(l.substring(l.indexOf('=') + 1));
            }
        }
        return service;
    }
}
