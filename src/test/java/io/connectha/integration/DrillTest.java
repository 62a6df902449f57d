package io.connectha.integration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.connectha.cluster.LoadedCluster;
import io.connectha.cluster.MemberSpec;
import io.connectha.cluster.SecretResolver;
import io.connectha.cluster.SecretName;
import io.connectha.net.Http;
import io.connectha.patroni.PatroniClient;
import io.connectha.pg.PgConnector;
import io.connectha.pg.Sql;
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

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Drills on the lab; the report's figures are checked against what the test itself sees in the cluster. */
@Tag("integration")
@ExtendWith(LabExtension.class)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class DrillTest {

    @TempDir
    Path reports;

    static JsonNode drill(RunningLab lab, Path report, String fault, String... more) throws Exception {
        return drill(lab.clusterFile(), lab, report, fault, more);
    }

    static JsonNode drill(Path clusterFile, RunningLab lab, Path report, String fault, String... more) throws Exception {
        Health.awaitHealthy(lab, Duration.ofSeconds(90));
        List<String> args = new ArrayList<>(List.of("ha", "-c", clusterFile.toString(), "drill", "failover", "--fault", fault,
                "--clients", "3", "--duration", "8s", "--keep-table", "--report", report.toString()));
        args.addAll(List.of(more));
        CommandRun run = CommandRun.of(args.toArray(String[]::new));
        assertThat(report.resolve("report.json")).as("exit " + run.exitCode() + ": " + run.err()).exists();
        JsonNode json = new ObjectMapper().readTree(Files.readString(report.resolve("report.json")));
        String heading = json.has("runs") ? "Drill " + fault + " on lab, " + json.path("runs").size() + " runs: " : "Drill " + fault + " on lab: ";
        assertThat(run.out()).contains(heading + (json.path("criteria").findValues("passed").stream()
                .allMatch(JsonNode::asBoolean) ? "PASSED" : "FAILED"));
        assertThat(run.exitCode()).isEqualTo(json.path("criteria").findValues("passed").stream().allMatch(JsonNode::asBoolean) ? 0 : 1);
        return json;
    }

    /**
     * Every criterion of the report passed, but those named, which may fail (the figures behind them are asserted by the
     * caller); a criterion that failed is shown with its figure and threshold.
     */
    static void assertPassedBut(JsonNode report, String... mayFail) {
        List<String> allowed = List.of(mayFail);
        List<String> failed = new ArrayList<>();
        for (JsonNode c : report.path("criteria")) {
            if (!c.path("passed").asBoolean() && !allowed.contains(c.path("name").asText())) {
                failed.add(c.path("name").asText() + ": " + c.path("measured").asText() + " (required " + c.path("required").asText() + ")");
            }
        }
        assertThat(report.path("criteria").size()).as("criteria").isGreaterThanOrEqualTo(8);
        assertThat(failed).as("criteria that failed").isEmpty();
    }

    /**
     * The phases of a change of leader, each observed and in the order they happen: the key expires or changes, another
     * member holds it, that member is confirmed writable, HAProxy routes to it; the old leader streams again later, and
     * the cluster is healthy once it does.
     */
    static void assertPhasesInOrder(JsonNode r) {
        long detection = r.path("detection_ms").asLong();
        long key = r.path("new_leader_key_ms").asLong();
        long writable = r.path("writable_ms").asLong();
        long haproxy = r.path("haproxy_ms").asLong();
        for (String phase : List.of("detection_ms", "new_leader_key_ms", "writable_ms", "haproxy_ms", "rejoin_ms", "healthy_ms")) {
            assertThat(r.path(phase).isNumber()).as(phase + " observed").isTrue();
        }
        assertThat(detection).isNotNegative().isLessThanOrEqualTo(key);
        assertThat(key).isLessThanOrEqualTo(writable);
        assertThat(writable).isLessThanOrEqualTo(haproxy);
        assertThat(r.path("rejoin_ms").asLong()).isGreaterThan(writable);
        assertThat(r.path("healthy_ms").asLong()).isGreaterThanOrEqualTo(r.path("rejoin_ms").asLong());
    }

    static long rowsOn(RunningLab lab, String member) {
        return rowsOn(lab.cluster(), lab.secrets(), member);
    }

    /** The drill table's rows on a member, counted by the test itself; then the table is dropped. */
    static long rowsOn(LoadedCluster cluster, SecretResolver secrets, String member) {
        MemberSpec m = cluster.spec().member(member).orElseThrow();
        Connection c = new PgConnector(Duration.ofSeconds(2), Duration.ofSeconds(10)).connect(new PgConnector.Endpoint("PostgreSQL on " + member,
                m.host(), m.port(), "app", "postgres"), secrets.password(SecretName.superuser));
        try {
            long n = Sql.one(c, "SELECT count(*) FROM connect_drill", rs -> rs.getLong(1));
            Sql.execute(c, "DROP TABLE connect_drill");
            return n;
        } finally {
            Sql.close(c);
        }
    }

    static String patroniLeader(RunningLab lab) {
        try (Http http = new Http(Duration.ofSeconds(1), Duration.ofSeconds(2))) {
            for (MemberSpec m : lab.cluster().spec().members()) {
                try {
                    return new PatroniClient(http).cluster(m).leader().orElseThrow().name();
                } catch (RuntimeException e) {
                    // the next member
                }
            }
        }
        throw new AssertionError("no leader");
    }

    @Test
    void a_switchover_drill_measures_the_change_loses_nothing_and_reports_it_for_ci(RunningLab lab) throws Exception {
        JsonNode r = drill(lab, reports, "switchover");
        String newLeader = r.path("new_leader").asText();
        assertThat(newLeader).isNotEqualTo(r.path("old_leader").asText()).isEqualTo(patroniLeader(lab));
        assertThat(r.path("rows_present").asLong()).isEqualTo(rowsOn(lab, newLeader));
        assertThat(r.path("lost_writes").asLong()).isZero();
        assertThat(r.path("acknowledged").asLong()).isEqualTo(r.path("rows_present").asLong());
        assertThat(r.path("split_brain_writes").asLong()).isZero();
        long rto = r.path("client_rto_ms").asLong();
        assertThat(rto).isPositive().isLessThan(30_000);
        assertThat(r.path("writable_ms").asLong()).isPositive().isLessThanOrEqualTo(r.path("haproxy_ms").asLong());
        assertThat(r.path("rejoin_ms").asLong()).isGreaterThan(r.path("writable_ms").asLong());
        // the load really ran through HAProxy across the change; how fast is the machine's business
        // (737-828 writes/s on a 2-core VM, over 1000 on another), measured by the drills, not asserted here
        assertThat(r.path("writes_per_second").asDouble()).as("load sustained through HAProxy").isPositive();
        assertThat(r.path("acknowledged").asLong()).as("acknowledged writes").isGreaterThan(100);
        assertThat(r.path("via").asText()).isEqualTo("haproxy");
        // the readers on the read port kept being answered, by replicas (the old leader is one after the switch)
        assertThat(r.at("/reads/readers").asInt()).isEqualTo(2);
        assertThat(r.at("/reads/ok").asLong()).isPositive();
        assertThat(r.at("/reads/by_member").fieldNames()).toIterable().isNotEmpty();
        assertThat(r.path("healthy_ms").asLong()).isGreaterThanOrEqualTo(r.path("writable_ms").asLong());
        // the report says what it ran with and against what
        assertThat(r.at("/configuration/ttl_seconds").asInt()).isEqualTo(lab.cluster().spec().patroni().ttl());
        assertThat(r.at("/configuration/loop_wait_seconds").asInt()).isEqualTo(lab.cluster().spec().patroni().loopWait());
        assertThat(r.at("/versions/postgresql").asText()).startsWith("15.");
        assertThat(r.at("/versions/patroni").asText()).startsWith("3.");
        assertThat(r.at("/versions/etcd").asText()).startsWith("3.");
        String junit = Files.readString(reports.resolve("junit.xml"));
        assertThat(junit).contains("tests=\"" + r.path("criteria").size() + "\"", "failures=\"0\"", "client RTO: " + rto + " ms");
        Health.awaitHealthy(lab, Duration.ofSeconds(90));
    }

    @Test
    void a_postmaster_kill_drill_through_pgbouncer_reports_exactly_what_the_new_leader_holds(RunningLab lab) throws Exception {
        JsonNode r = drill(lab, reports, "postmaster-kill", "--via", "pgbouncer");
        assertThat(r.path("via").asText()).isEqualTo("pgbouncer");
        assertThat(r.path("acknowledged").asLong()).as("writes went through PgBouncer").isPositive();
        String leader = r.path("new_leader").asText();
        assertThat(leader).isEqualTo(patroniLeader(lab));
        long rows = rowsOn(lab, leader);
        assertThat(r.path("rows_present").asLong()).isEqualTo(rows);
        // asynchronous replication may lose acknowledged writes; every acknowledged write the report does not call
        // lost must be on the leader, as the test counts it (rows acknowledged-then-lost-in-flight may add more)
        long acked = r.path("acknowledged").asLong();
        long lost = r.path("lost_writes").asLong();
        assertThat(lost).isBetween(0L, acked);
        assertThat(rows).isGreaterThanOrEqualTo(acked - lost);
        assertThat(r.path("failed").asLong()).isPositive();
        assertThat(r.path("client_rto_ms").asLong()).isPositive().isLessThan(30_000);
        Health.awaitHealthy(lab, Duration.ofSeconds(120));
    }

    @Test
    void a_drill_refuses_to_start_on_an_unhealthy_cluster(RunningLab lab) throws Exception {
        Health.awaitHealthy(lab, Duration.ofSeconds(90));
        Health.setPause(lab, true);
        try {
            CommandRun run = CommandRun.of("ha", "-c", lab.clusterFile().toString(), "drill", "failover", "--duration", "2s");
            assertThat(run.exitCode()).isEqualTo(1);
            assertThat(run.err()).contains("preflight failed, no drill").contains("paused");
        } finally {
            Health.setPause(lab, false);
        }
    }
}
