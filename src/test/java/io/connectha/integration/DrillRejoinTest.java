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
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** drill rejoin on the lab; the report's figures are checked against what the test itself reads on each member. */
@Tag("integration")
@ExtendWith(LabExtension.class)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class DrillRejoinTest {

    private static final String TIMELINE = "SELECT ('x' || substr(pg_walfile_name(pg_current_wal_lsn()), 1, 8))::bit(32)::int";
    private static final String DIGEST = "SELECT count(*), coalesce(max(seq), 0), md5(coalesce(string_agg(seq::text, ',' ORDER BY seq), '')) "
            + "FROM connect_drill";

    @TempDir
    Path reports;

    @Test
    void a_rejoin_drill_brings_the_lost_leader_back_rewound_streaming_and_with_the_leaders_data(RunningLab lab) throws Exception {
        Health.awaitHealthy(lab, Duration.ofSeconds(90));
        String before = LabLeader.of(lab).name();
        String db = lab.cluster().spec().postgresql().database();
        CommandRun run = CommandRun.of("ha", "-c", lab.clusterFile().toString(), "drill", "rejoin", "--clients", "2", "--diverge", "2s",
                "--keep-table", "--report", reports.toString());
        try {
            assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
            assertThat(run.out()).startsWith("Drill rejoin on lab: PASSED");
            JsonNode r = new ObjectMapper().readTree(Files.readString(reports.resolve("report.json")));
            String old = r.path("old_leader").asText();
            String leader = r.path("new_leader").asText();
            assertThat(old).isEqualTo(before);
            assertThat(leader).isNotEqualTo(old).isEqualTo(LabLeader.of(lab).name());

            // streaming from the new leader, as the test reads the leader's pg_stat_replication
            assertThat(LabSql.text(lab, leader, "postgres", "SELECT state FROM pg_stat_replication WHERE application_name = '" + old + "'")).isEqualTo("streaming");
            // on the new timeline, as both members say
            int leaderTimeline = LabSql.one(lab, leader, "postgres", TIMELINE, rs -> rs.getInt(1));
            int rejoinedTimeline = LabSql.one(lab, old, "postgres", "SELECT received_tli FROM pg_stat_wal_receiver", rs -> rs.getInt(1));
            assertThat(r.path("new_timeline").asInt()).isEqualTo(leaderTimeline).isEqualTo(rejoinedTimeline)
                    .isEqualTo(r.path("rejoined_timeline").asInt()).isGreaterThan(r.path("old_timeline").asInt());

            // the same rows on both, and the ones the report gives
            List<Object> onLeader = LabSql.one(lab, leader, db, DIGEST, rs -> List.of(rs.getLong(1), rs.getLong(2), rs.getString(3)));
            List<Object> onRejoined = LabSql.one(lab, old, db, DIGEST, rs -> List.of(rs.getLong(1), rs.getLong(2), rs.getString(3)));
            assertThat(onRejoined).isEqualTo(onLeader);
            assertThat(onLeader).containsExactly(r.at("/leader_table/rows").asLong(), r.at("/leader_table/max_seq").asLong(),
                    r.at("/leader_table/md5").asText());
            assertThat(r.path("rejoined_table")).isEqualTo(r.path("leader_table"));
            assertThat(r.path("data_identical").asBoolean()).isTrue();
            long acknowledged = r.path("acknowledged").asLong();
            long lost = r.path("lost_writes").asLong();
            assertThat(acknowledged).isPositive();
            assertThat(lost).isBetween(0L, acknowledged);
            // every acknowledged write the report does not call lost is on the leader (writes whose acknowledgement was lost may add rows)
            assertThat((Long) onLeader.get(0)).isGreaterThanOrEqualTo(acknowledged - lost);

            // the old leader was crash-recovered and rewound, as its Patroni logged it last
            assertThat(r.at("/rewind/crash_recovery").asBoolean()).isTrue();
            assertThat(r.at("/rewind/rewind_ran").asBoolean()).isTrue();
            assertThat(r.at("/rewind/rewind_exit_code").asInt()).isZero();
            String log = Files.readString(lab.dir().resolve("logs/patroni-" + old + ".log"));
            String lastExit = log.substring(log.lastIndexOf("pg_rewind exit code="));
            assertThat(lastExit).startsWith("pg_rewind exit code=0")
                    .contains("servers diverged at WAL location " + r.at("/rewind/diverged_at").asText());

            // the stages, from the old node's start, in their order and within the threshold
            long timeline = r.path("new_timeline_ms").asLong();
            long streaming = r.path("streaming_ms").asLong();
            long caughtUp = r.path("caught_up_ms").asLong();
            assertThat(r.path("patroni_running_ms").asLong()).isPositive();
            assertThat(streaming).isPositive().isLessThanOrEqualTo(caughtUp);
            assertThat(timeline).isPositive().isLessThanOrEqualTo(caughtUp + 1000);
            assertThat(caughtUp).isLessThan(60_000);
            assertThat(r.path("restarted_ms").asLong()).isGreaterThan(r.path("new_leader_ms").asLong());
            assertThat(r.path("healthy_at_end").asBoolean()).isTrue();
            String junit = Files.readString(reports.resolve("junit.xml"));
            assertThat(junit).contains("tests=\"4\"", "failures=\"0\"", "classname=\"connect.drill.rejoin\"",
                    "old leader rejoined, streaming and caught up: " + caughtUp + " ms");
        } finally {
            LabSql.execute(lab, LabLeader.of(lab).name(), db, "DROP TABLE IF EXISTS connect_drill");
        }
        Health.awaitHealthy(lab, Duration.ofSeconds(90));
    }
}
