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

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** drill switchover on the lab: the failover drill's planned case, with its report checked against the cluster. */
@Tag("integration")
@ExtendWith(LabExtension.class)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class DrillSwitchoverTest {

    @TempDir
    Path reports;

    @Test
    void drill_switchover_moves_the_leader_under_load_and_reports_what_the_cluster_shows(RunningLab lab) throws Exception {
        Health.awaitHealthy(lab, Duration.ofSeconds(90));
        String before = LabLeader.of(lab).name();
        String db = lab.cluster().spec().postgresql().database();
        CommandRun run = CommandRun.of("ha", "-c", lab.clusterFile().toString(), "drill", "switchover", "--clients", "2", "--duration", "4s",
                "--keep-table", "--report", reports.toString());
        try {
            JsonNode r = new ObjectMapper().readTree(Files.readString(reports.resolve("report.json")));
            // a planned switchover must pass every criterion: a FAILED drill fails this test, whatever the exit code says
            DrillTest.assertPassedBut(r);
            assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
            assertThat(run.out()).startsWith("Drill switchover on lab: PASSED (" + before + " -> ");
            assertThat(r.path("fault").asText()).isEqualTo("switchover");
            String leader = r.path("new_leader").asText();
            assertThat(r.path("old_leader").asText()).isEqualTo(before);
            assertThat(r.path("target").asText()).isEqualTo(before);
            assertThat(r.path("fault_error").isNull()).isTrue();
            assertThat(leader).isNotEqualTo(before).isEqualTo(LabLeader.of(lab).name());
            // the timeline: every phase observed, in the order a switchover goes through them, the client RTO within --max-rto
            long maxRto = r.at("/configuration/max_rto_ms").asLong();
            assertThat(maxRto).isEqualTo(30_000);
            DrillTest.assertPhasesInOrder(r);
            assertThat(r.path("client_rto_ms").asLong()).isPositive().isLessThanOrEqualTo(maxRto);
            assertThat(r.path("etcd_leader_ms").isNull()).isTrue();
            // the load: writes acknowledged on both sides of the change, none lost, none on the old leader after the new one's first
            long rows = LabSql.one(lab, leader, db, "SELECT count(*) FROM connect_drill", rs -> rs.getLong(1));
            assertThat(r.path("acknowledged").asLong()).isPositive().isEqualTo(rows);
            assertThat(r.path("rows_present").asLong()).isEqualTo(rows);
            assertThat(r.path("lost_writes").asLong()).isZero();
            assertThat(r.path("rpo_bytes_estimate").asLong()).isZero();
            assertThat(r.path("split_brain_writes").asLong()).isZero();
            assertThat(r.path("error_rate").asDouble()).isEqualTo((double) r.path("failed").asLong()
                    / (r.path("acknowledged").asLong() + r.path("failed").asLong()));
            assertThat(r.path("latency_p95_ms").asDouble()).isPositive().isLessThanOrEqualTo(r.at("/configuration/max_p95_ms").asDouble());
            assertThat(r.path("rejoin_ms").asLong()).isGreaterThan(r.path("writable_ms").asLong());
            assertThat(LabSql.text(lab, leader, "postgres", "SELECT state FROM pg_stat_replication WHERE application_name = '" + before + "'")).isEqualTo("streaming");
            assertThat(Files.readString(reports.resolve("junit.xml"))).contains("classname=\"connect.drill.switchover\"",
                    "tests=\"" + r.path("criteria").size() + "\" failures=\"0\"", "client RTO: " + r.path("client_rto_ms").asLong() + " ms");
        } finally {
            LabSql.execute(lab, LabLeader.of(lab).name(), db, "DROP TABLE IF EXISTS connect_drill");
        }
        Health.awaitHealthy(lab, Duration.ofSeconds(90));
    }
}
