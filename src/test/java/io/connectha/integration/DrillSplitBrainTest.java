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
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** drill split-brain on the lab; the report's write windows are checked against the rows the leader kept. */
@Tag("integration")
@ExtendWith(LabExtension.class)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class DrillSplitBrainTest {

    private static final String TABLE = "connect_drill_split_brain";

    @TempDir
    Path reports;

    @Test
    void a_split_brain_drill_sees_one_writer_at_a_time_and_the_old_leader_back_as_a_replica(RunningLab lab) throws Exception {
        Health.awaitHealthy(lab, Duration.ofSeconds(90));
        String before = LabLeader.of(lab).name();
        String db = lab.cluster().spec().postgresql().database();
        CommandRun run = CommandRun.of("ha", "-c", lab.clusterFile().toString(), "drill", "split-brain", "--keep-table",
                "--report", reports.toString());
        try {
            assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
            assertThat(run.out()).startsWith("Drill split-brain on lab: PASSED");
            JsonNode r = new ObjectMapper().readTree(Files.readString(reports.resolve("report.json")));
            String old = r.path("old_leader").asText();
            String leader = r.path("new_leader").asText();
            assertThat(old).isEqualTo(before);
            assertThat(leader).isNotEqualTo(old).isEqualTo(LabLeader.of(lab).name());
            assertThat(LabSql.text(lab, leader, "postgres", "SELECT state FROM pg_stat_replication WHERE application_name = '" + old + "'")).isEqualTo("streaming");
            assertThat(r.path("double_writes")).isEmpty();
            assertThat(r.path("haproxy_violations")).isEmpty();
            assertThat(r.path("old_leader_writes_after_restart").asLong()).isZero();

            // every write the new leader acknowledged straight is on it; per member, rows kept plus lost make what was acknowledged
            Map<String, Long> direct = LabSql.list(lab, leader, db, "SELECT member, count(*) FROM " + TABLE + " WHERE via = 'direct' GROUP BY member",
                    rs -> Map.entry(rs.getString(1), rs.getLong(2))).stream().collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
            long leaderSamples = 0;
            for (JsonNode w : r.at("/write_windows/" + leader)) {
                leaderSamples += w.path("samples").asLong();
            }
            assertThat(leaderSamples).isPositive();
            assertThat(direct.get(leader)).isEqualTo(leaderSamples);
            Map<String, Long> kept = LabSql.list(lab, leader, db, "SELECT member, count(*) FROM " + TABLE + " GROUP BY member",
                    rs -> Map.entry(rs.getString(1), rs.getLong(2))).stream().collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
            assertThat(kept.get(leader)).isEqualTo(r.at("/acknowledged/" + leader).asLong());
            assertThat(kept.getOrDefault(old, 0L) + r.at("/lost_writes/" + old).asLong(0))
                    .as("a write committed as the old leader died may have lost only its acknowledgement")
                    .isGreaterThanOrEqualTo(r.at("/acknowledged/" + old).asLong());

            // the old leader wrote only before the fault, the new one only after it took the key, and the rows agree on the order
            long restarted = r.path("restarted_ms").asLong();
            long newLeaderFrom = r.at("/write_windows/" + leader + "/0/from_ms").asLong();
            for (JsonNode w : r.at("/write_windows/" + old)) {
                assertThat(w.path("to_ms").asLong()).isLessThan(newLeaderFrom).isLessThan(restarted).isLessThan(1000);
            }
            long keyFrom = 0;
            for (JsonNode s : r.path("leader_key_holders")) {
                if (leader.equals(s.path("member").asText(null))) {
                    keyFrom = s.path("from_ms").asLong();
                    break;
                }
            }
            assertThat(newLeaderFrom).isGreaterThanOrEqualTo(keyFrom).isPositive();
            assertThat(LabSql.text(lab, leader, db, "SELECT max(at) FILTER (WHERE member = '" + old + "') < min(at) FILTER (WHERE member = '"
                    + leader + "') FROM " + TABLE)).isEqualTo("t");
            assertThat(r.path("streaming_ms").asLong()).isPositive().isLessThan(60_000);
            assertThat(r.path("samples").asInt()).isGreaterThan(100);
            assertThat(Files.readString(reports.resolve("junit.xml"))).contains("tests=\"5\"", "failures=\"0\"",
                    "classname=\"connect.drill.split-brain\"");
        } finally {
            LabSql.execute(lab, LabLeader.of(lab).name(), db, "DROP TABLE IF EXISTS " + TABLE);
        }
        Health.awaitHealthy(lab, Duration.ofSeconds(90));
    }
}
