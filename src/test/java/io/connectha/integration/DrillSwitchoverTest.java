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
            boolean passed = r.path("criteria").findValues("passed").stream().allMatch(JsonNode::asBoolean);
            assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(passed ? 0 : 1);
            assertThat(run.out()).startsWith("Drill switchover on lab: " + (passed ? "PASSED" : "FAILED"));
            assertThat(r.path("fault").asText()).isEqualTo("switchover");
            String leader = r.path("new_leader").asText();
            assertThat(r.path("old_leader").asText()).isEqualTo(before);
            assertThat(leader).isNotEqualTo(before).isEqualTo(LabLeader.of(lab).name());
            long rows = LabSql.one(lab, leader, db, "SELECT count(*) FROM connect_drill", rs -> rs.getLong(1));
            assertThat(r.path("rows_present").asLong()).isEqualTo(rows);
            assertThat(r.path("lost_writes").asLong()).isZero();
            assertThat(r.path("acknowledged").asLong()).isEqualTo(rows);
            assertThat(r.path("split_brain_writes").asLong()).isZero();
            assertThat(r.path("rejoin_ms").asLong()).isGreaterThan(r.path("writable_ms").asLong());
            assertThat(LabSql.text(lab, leader, "postgres", "SELECT state FROM pg_stat_replication WHERE application_name = '" + before + "'")).isEqualTo("streaming");
            assertThat(Files.readString(reports.resolve("junit.xml"))).contains("classname=\"connect.drill.switchover\"",
                    "tests=\"" + r.path("criteria").size() + "\"", "client RTO: " + r.path("client_rto_ms").asLong() + " ms");
        } finally {
            LabSql.execute(lab, LabLeader.of(lab).name(), db, "DROP TABLE IF EXISTS connect_drill");
        }
        Health.awaitHealthy(lab, Duration.ofSeconds(90));
    }
}
