package io.connectha.render;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.connectha.drill.DrillReport;
import io.connectha.drill.DrillSeries;
import io.connectha.drill.FailoverDrill;
import io.connectha.drill.FailoverVerdict;
import io.connectha.drill.FaultKind;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * report.json, junit.xml and the summary of a failover drill are what they were before the report was split into
 * nested records and a verdict of numbers: the files under src/test/resources/drill were written by a real
 * {@code drill switchover} on the lab with the code before the split (commit 02c5c13); the same figures,
 * put in the new records, must give the same field names, in the same order, with the same values and words.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class FailoverReportJsonTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static String resource(String name) throws IOException {
        try (InputStream in = FailoverReportJsonTest.class.getResourceAsStream("/drill/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static Duration ms(JsonNode n) {
        return n.isNull() ? null : Duration.ofMillis(n.asLong());
    }

    private static Duration fractionalMs(JsonNode n) {
        return Duration.ofNanos(Math.round(n.asDouble() * 1e6));
    }

    /** The before-split report's figures, in the new records, judged by the new verdict. */
    static DrillReport fromBefore(JsonNode j) {
        JsonNode c = j.path("configuration");
        FailoverVerdict.Thresholds thresholds = new FailoverVerdict.Thresholds(Duration.ofMillis(c.path("max_rto_ms").asLong()),
                c.path("max_lost_writes").asLong(), c.path("max_error_rate").asDouble(), Duration.ofMillis(c.path("max_p95_ms").asLong()),
                Duration.ofMillis(c.path("max_rejoin_ms").asLong()));
        DrillReport.Subject subject = new DrillReport.Subject(j.path("cluster").asText(), FaultKind.of(j.path("fault").asText()),
                j.path("target").asText(), FailoverDrill.Via.valueOf(j.path("via").asText()), j.path("fault_error").textValue(),
                j.path("old_leader").asText(), j.path("new_leader").textValue(), Instant.parse(j.path("fault_at").asText()),
                j.path("clients").asInt());
        DrillReport.Timeline timeline = new DrillReport.Timeline(ms(j.path("detection_ms")), ms(j.path("new_leader_key_ms")),
                ms(j.path("writable_ms")), ms(j.path("haproxy_ms")), ms(j.path("etcd_leader_ms")), ms(j.path("client_rto_ms")),
                ms(j.path("longest_gap_ms")), ms(j.path("rejoin_ms")), ms(j.path("healthy_ms")), ms(j.path("sample_interval_ms")));
        DrillReport.Writes writes = new DrillReport.Writes(j.path("acknowledged").asLong(), j.path("failed").asLong(),
                j.path("error_rate").asDouble(), fractionalMs(j.path("latency_p50_ms")), fractionalMs(j.path("latency_p95_ms")),
                fractionalMs(j.path("latency_max_ms")), j.path("writes_per_second").asDouble());
        DrillReport.Data data = new DrillReport.Data(j.path("rows_present").asLong(), j.path("lost_writes").asLong(),
                j.path("rpo_bytes_estimate").isNull() ? null : j.path("rpo_bytes_estimate").asLong(), j.path("split_brain_writes").asLong());
        JsonNode r = j.path("reads");
        Map<String, Long> byMember = new LinkedHashMap<>();
        r.path("by_member").fields().forEachRemaining(e -> byMember.put(e.getKey(), e.getValue().asLong()));
        DrillReport.Reads reads = new DrillReport.Reads(r.path("readers").asInt(), r.path("ok").asLong(), r.path("failed").asLong(),
                r.path("error_rate").asDouble(), r.path("latency_p95_ms").asDouble(), r.path("longest_gap_ms").asLong(), byMember);
        DrillReport.Configuration configuration = new DrillReport.Configuration(c.path("ttl_seconds").asInt(),
                c.path("loop_wait_seconds").asInt(), c.path("retry_timeout_seconds").asInt(), c.path("synchronous_mode").asBoolean(),
                c.path("maximum_lag_on_failover_bytes").asLong(), c.path("clients").asInt(), c.path("readers").asInt(),
                c.path("warmup_ms").asLong(), c.path("load_after_fault_ms").asLong(), c.path("max_rto_ms").asLong(),
                c.path("max_lost_writes").asLong(), c.path("max_error_rate").asDouble(), c.path("max_p95_ms").asLong(),
                c.path("max_rejoin_ms").asLong(), c.path("faults_by").asText());
        JsonNode v = j.path("versions");
        DrillReport.Versions versions = new DrillReport.Versions(v.path("connect").asText(), v.path("postgresql").asText(),
                v.path("patroni").asText(), v.path("etcd").asText());
        FailoverVerdict verdict = FailoverVerdict.judge(new FailoverVerdict.Observed(subject.fault(), subject.faultError() == null,
                subject.oldLeader(), subject.newLeader(), timeline.etcdLeader(), timeline.clientRto(), data.lostWrites(),
                data.splitBrainWrites(), writes.errorRate(), writes.latencyP95(), timeline.rejoin(), timeline.healthy(), null), thresholds);
        return new DrillReport(subject, timeline, writes, data, reads, null, verdict, configuration, versions);
    }

    /** Every field's path, in document order: {@code reads.by_member.*} and {@code criteria[].name} and so on. */
    private static List<String> paths(JsonNode n, String at) {
        List<String> out = new ArrayList<>();
        if (n.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                String path = at.isEmpty() ? e.getKey() : at + "." + (at.endsWith("by_member") ? "*" : e.getKey());
                out.add(path);
                out.addAll(paths(e.getValue(), path));
            }
        } else if (n.isArray() && !n.isEmpty()) {
            out.addAll(paths(n.get(0), at + "[]"));
        }
        return out.stream().distinct().toList();
    }

    @Test
    void report_json_has_the_same_fields_in_the_same_order_with_the_same_values_as_before_the_split() throws IOException {
        JsonNode before = MAPPER.readTree(resource("switchover-report-before-split.json"));
        DrillReport report = fromBefore(before);
        JsonNode after = MAPPER.readTree(Renderer.json(DrillView.json(report)));
        assertThat(paths(after, "")).containsExactlyElementsOf(paths(before, ""));
        assertThat(after).isEqualTo(before);
        assertThat(report.passed()).isTrue();
    }

    @Test
    void junit_xml_and_the_summary_are_the_same_as_before_the_split() throws IOException {
        DrillReport report = fromBefore(MAPPER.readTree(resource("switchover-report-before-split.json")));
        assertThat(DrillView.junit(report)).isEqualTo(resource("switchover-junit-before-split.xml"));
        StringWriter out = new StringWriter();
        DrillView.summary(new PrintWriter(out, true), report);
        String summary = resource("switchover-summary-before-split.txt");
        // the test that captured it added one line break after the command's output
        assertThat(out.toString()).isEqualTo(summary.substring(0, summary.length() - 1));
    }

    @Test
    void with_repeat_the_series_keeps_its_fields_and_each_run_is_the_one_run_report() throws IOException {
        JsonNode before = MAPPER.readTree(resource("switchover-report-before-split.json"));
        DrillReport run = fromBefore(before);
        JsonNode series = MAPPER.readTree(Renderer.json(DrillView.json(DrillSeries.of(List.of(run, run)))));
        assertThat(paths(series, "").stream().filter(p -> !p.startsWith("runs[].") && !p.startsWith("distribution.")))
                .containsExactly("cluster", "fault", "repeat", "runs", "distribution", "passed");
        assertThat(series.path("fault").asText()).isEqualTo("switchover");
        assertThat(series.path("runs").get(1)).isEqualTo(before);
        assertThat(series.at("/distribution/client_rto_ms/max").asLong()).isEqualTo(3165);
        assertThat(series.at("/distribution/writes_per_second/p50").asLong()).isEqualTo(932);
        assertThat(series.path("passed").asBoolean()).isTrue();
    }

    /** An etcd fault with an HTTP probe, lost writes and a slow client: every criterion's words, as the code before the split wrote them. */
    @Test
    void every_criterion_reads_as_before_with_its_units_and_thresholds() {
        FailoverVerdict.Thresholds t = new FailoverVerdict.Thresholds(Duration.ofSeconds(30), 0, 0.05, Duration.ofSeconds(2),
                Duration.ofSeconds(60));
        DrillReport.Subject subject = new DrillReport.Subject("lab", FaultKind.ETCD_LEADER_KILL, "etcd2", FailoverDrill.Via.haproxy,
                null, "pg1", "pg1", Instant.parse("2026-11-23T10:00:00Z"), 4);
        DrillReport.Timeline timeline = new DrillReport.Timeline(null, null, Duration.ofMillis(200), Duration.ofMillis(300),
                Duration.ofMillis(1_200), null, Duration.ofMillis(90), null, null, Duration.ofMillis(50));
        DrillReport.Writes writes = new DrillReport.Writes(1000, 80, 0.0740740, Duration.ofNanos(512_345), Duration.ofNanos(2_345_678_901L),
                Duration.ofMillis(3_000), 2500);
        DrillReport.Data data = new DrillReport.Data(997, 3, 120L, 2);
        DrillReport.Probe probe = new DrillReport.Probe("http://app/health", 100, 50, 5, 400, "503");
        FailoverVerdict verdict = FailoverVerdict.judge(new FailoverVerdict.Observed(subject.fault(), true, "pg1", "pg1",
                timeline.etcdLeader(), null, 3, 2, writes.errorRate(), writes.latencyP95(), null, null, new FailoverVerdict.Probes(50, 5)), t);
        DrillReport report = new DrillReport(subject, timeline, writes, data, null, probe, verdict, null, null);
        assertThat(FailoverCriteria.of(report)).extracting(c -> c.name() + " | " + c.passed() + " | " + c.required() + " | " + c.measured())
                .containsExactly(
                        "fault applied | true | etcd-leader-kill on etcd2 | applied",
                        "a leader accepts writes again | true | a leader confirmed (the same one may stay) | pg1 (the same leader)",
                        "etcd elects a new raft leader | true | <= 30000 ms | 1200 ms",
                        "client RTO | false | <= 30000 ms | no write on the leader after the fault",
                        "acknowledged writes lost | false | <= 0 | 3 of 1000 (>= 120 bytes of WAL)",
                        "no split brain | false | 0 writes on the old leader after the new one's first | 2",
                        "error rate | false | <= 5.00% | 7.41%",
                        "p95 latency | false | <= 2000 ms | 2345.7 ms",
                        "cluster healthy again | false | within 60000 ms | not within the deadline",
                        "HTTP probe error rate | false | <= 5.00% | 10.00% of 50");
        assertThat(Renderer.json(DrillView.json(report))).contains("\"latency_p50_ms\" : 0.512345", "\"latency_p95_ms\" : 2345.678901",
                "\"etcd_leader_ms\" : 1200", "\"client_rto_ms\" : null", "\"rpo_bytes_estimate\" : 120", "\"longest_outage_ms\" : 400");
        String junit = DrillView.junit(report);
        assertThat(junit).contains("<testsuite name=\"connect drill etcd-leader-kill lab\" tests=\"10\" failures=\"7\"",
                "<failure message=\"2345.7 ms (required &lt;= 2000 ms)\"/>");
    }
}
