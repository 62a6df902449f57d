package io.connectha.integration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.connectha.cluster.MemberSpec;
import io.connectha.cluster.SecretName;
import io.connectha.process.ProcessController;
import io.connectha.pg.PgConnector;
import io.connectha.pg.Sql;
import io.connectha.support.CommandRun;
import io.connectha.support.Health;
import io.connectha.support.LabExtension;
import io.connectha.support.LabExtension.RunningLab;
import io.connectha.support.TestClusters;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.connectha.integration.DrillTest.assertPassedBut;
import static io.connectha.integration.DrillTest.assertPhasesInOrder;
import static io.connectha.integration.DrillTest.drill;
import static io.connectha.integration.DrillTest.patroniLeader;
import static io.connectha.integration.DrillTest.rowsOn;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The process faults beyond a postmaster crash, on the shared 3-member lab: node loss, a graceful Patroni
 * stop, pg_ctl stop (repeated, with an HTTP probe), a fault command from the cluster file, and Ctrl-C in
 * the middle of a drill. Each checks the report against what the test sees in the cluster itself.
 */
@Tag("integration")
@ExtendWith(LabExtension.class)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class DrillFaultsTest {

    @TempDir
    Path reports;

    /** The member names streaming from {@code leader}, per its pg_stat_replication. */
    private static List<String> streamingFrom(RunningLab lab, String leader) {
        MemberSpec m = lab.cluster().spec().member(leader).orElseThrow();
        Connection c = new PgConnector(Duration.ofSeconds(2), Duration.ofSeconds(5)).connect(new PgConnector.Endpoint("PostgreSQL on "
                + leader, m.host(), m.port(), "postgres", "postgres"), lab.secrets().password(SecretName.superuser));
        try {
            return Sql.list(c, "SELECT application_name FROM pg_stat_replication WHERE state = 'streaming'", rs -> rs.getString(1));
        } finally {
            Sql.close(c);
        }
    }

    /** The reported error rate is failed / attempted writes, as the report's own counts give it. */
    private static void assertErrorRate(JsonNode r) {
        long acked = r.path("acknowledged").asLong();
        long failed = r.path("failed").asLong();
        assertThat(r.path("error_rate").asDouble()).isEqualTo(acked + failed == 0 ? 0 : (double) failed / (acked + failed));
    }

    @Test
    void node_loss_fails_over_after_the_ttl_and_states_exactly_what_was_lost(RunningLab lab) throws Exception {
        JsonNode r = drill(lab, reports, "patroni-kill");
        String oldLeader = r.path("old_leader").asText();
        String newLeader = r.path("new_leader").asText();
        assertThat(newLeader).isNotEqualTo(oldLeader).isEqualTo(patroniLeader(lab));
        // asynchronous replication may lose the last acknowledged writes, and clients fail for the whole ttl: those two
        // criteria may fail, with their figures asserted below; every other one must hold
        long acked = r.path("acknowledged").asLong();
        long lost = r.path("lost_writes").asLong();
        assertPassedBut(r, "error rate", lost > 0 ? "acknowledged writes lost" : "");
        assertPhasesInOrder(r);
        assertErrorRate(r);
        assertThat(r.path("split_brain_writes").asLong()).isZero();
        assertThat(r.path("client_rto_ms").asLong()).isPositive().isLessThanOrEqualTo(r.at("/configuration/max_rto_ms").asLong());
        assertThat(r.path("failed").asLong()).as("clients saw the node go").isPositive();
        // the killed node was started again and streams from the new leader, as the test sees on the new leader
        assertThat(streamingFrom(lab, newLeader)).contains(oldLeader);
        long rows = rowsOn(lab, newLeader);
        assertThat(r.path("rows_present").asLong()).isEqualTo(rows);
        // asynchronous: what the report calls lost is what is missing; RPO in bytes is stated whenever rows were lost
        assertThat(acked).isPositive();
        assertThat(lost).isBetween(0L, acked);
        assertThat(rows).isGreaterThanOrEqualTo(acked - lost);
        assertThat(r.path("rpo_bytes_estimate").isNumber()).as("RPO in bytes is measured").isTrue();
        if (lost == 0) {
            assertThat(r.path("rpo_bytes_estimate").asLong()).isZero();
        } else {
            assertThat(r.path("rpo_bytes_estimate").asLong()).isNotNegative();
        }
        // detection waits for the leader key's ttl: never before the lease could expire, never long after it
        long ttlMs = lab.cluster().spec().patroni().ttl() * 1000L;
        assertThat(r.path("new_leader_key_ms").asLong()).isBetween(ttlMs / 2, ttlMs + 5_000);
        assertThat(r.path("client_rto_ms").asLong()).isGreaterThanOrEqualTo(r.path("writable_ms").asLong() - 1_000);
        Health.awaitHealthy(lab, Duration.ofSeconds(90));
    }

    @Test
    void a_graceful_patroni_stop_hands_over_at_once_and_loses_nothing(RunningLab lab) throws Exception {
        JsonNode r = drill(lab, reports, "patroni-stop");
        String oldLeader = r.path("old_leader").asText();
        String newLeader = r.path("new_leader").asText();
        assertThat(newLeader).isNotEqualTo(oldLeader).isEqualTo(patroniLeader(lab));
        // Patroni gives the key up on its way out: much faster than the ttl
        assertThat(r.path("new_leader_key_ms").asLong()).isLessThan(lab.cluster().spec().patroni().ttl() * 1000L);
        // a clean shutdown sends every WAL record to the replicas first
        assertThat(r.path("lost_writes").asLong()).isZero();
        assertThat(rowsOn(lab, newLeader)).isEqualTo(r.path("acknowledged").asLong()).isEqualTo(r.path("rows_present").asLong());
        assertThat(streamingFrom(lab, newLeader)).contains(oldLeader);
        // clients fail only while the leader shuts down and the other takes over: every criterion holds
        assertPassedBut(r);
        assertPhasesInOrder(r);
        assertErrorRate(r);
        assertThat(r.path("split_brain_writes").asLong()).isZero();
        assertThat(r.path("rpo_bytes_estimate").asLong()).isZero();
        assertThat(r.path("client_rto_ms").asLong()).isPositive().isLessThanOrEqualTo(r.at("/configuration/max_rto_ms").asLong())
                .isGreaterThanOrEqualTo(r.path("new_leader_key_ms").asLong());
        Health.awaitHealthy(lab, Duration.ofSeconds(90));
    }

    @Test
    void pg_ctl_stop_twice_reports_each_run_the_distribution_and_the_http_probe(RunningLab lab) throws Exception {
        MemberSpec replica = lab.cluster().spec().members().stream().filter(m -> !m.name().equals(patroniLeader(lab))).findFirst()
                .orElseThrow();
        String url = "http://" + replica.restAddress() + "/liveness";
        JsonNode series = drill(lab, reports, "pg-stop", "--repeat", "2", "--probe-url", url,
                "--probe-interval", "200ms");
        assertThat(series.path("repeat").asInt()).isEqualTo(2);
        assertThat(series.path("runs")).hasSize(2);
        long[] rto = new long[2];
        for (int i = 0; i < 2; i++) {
            JsonNode run = series.path("runs").get(i);
            assertThat(run.path("fault").asText()).isEqualTo("pg-stop");
            // Patroni starts its PostgreSQL again: the leader stays (or, rarely, another takes over); writes come back. Clients
            // fail for the whole restart, so the error rate may be past 5 % in a short drill: its figure is checked instead
            assertPassedBut(run, "error rate");
            assertErrorRate(run);
            String oldLeader = run.path("old_leader").asText();
            String newLeader = run.path("new_leader").asText();
            assertThat(lab.cluster().spec().member(newLeader)).as("a member leads: " + newLeader).isPresent();
            assertThat(run.path("target").asText()).isEqualTo(oldLeader);
            assertThat(run.path("writable_ms").asLong()).isPositive().isLessThanOrEqualTo(run.path("haproxy_ms").asLong());
            if (newLeader.equals(oldLeader)) {
                // restarted in place: the key never changed hands, and there is nobody to rejoin
                assertThat(run.path("new_leader_key_ms").isNull()).isTrue();
                assertThat(run.path("rejoin_ms").isNull()).isTrue();
            } else {
                assertPhasesInOrder(run);
            }
            assertThat(run.path("healthy_ms").asLong()).isGreaterThanOrEqualTo(run.path("writable_ms").asLong());
            assertThat(run.path("client_rto_ms").asLong()).isPositive().isLessThanOrEqualTo(run.at("/configuration/max_rto_ms").asLong())
                    .isGreaterThanOrEqualTo(run.path("writable_ms").asLong() - 1_000);
            assertThat(run.path("failed").asLong()).as("PostgreSQL stopped: clients saw it").isPositive();
            assertThat(run.path("lost_writes").asLong()).isZero();
            assertThat(run.path("split_brain_writes").asLong()).isZero();
            assertThat(run.path("acknowledged").asLong()).isPositive().isEqualTo(run.path("rows_present").asLong());
            assertThat(run.at("/probe/url").asText()).isEqualTo(url);
            assertThat(run.at("/probe/probes").asLong()).isGreaterThan(5);
            assertThat(run.at("/probe/failed").asLong()).as("a replica's liveness stays up").isZero();
            assertThat(run.at("/probe/longest_outage_ms").asLong()).isZero();
            rto[i] = run.path("client_rto_ms").asLong();
        }
        JsonNode d = series.at("/distribution/client_rto_ms");
        assertThat(d.path("runs").asInt()).isEqualTo(2);
        assertThat(d.path("max").asLong()).isEqualTo(Math.max(rto[0], rto[1]));
        assertThat(d.path("p50").asLong()).isEqualTo(Math.min(rto[0], rto[1]));
        assertThat(series.at("/distribution/lost_writes/max").asLong()).isZero();
        String junit = Files.readString(reports.resolve("junit.xml"));
        assertThat(junit).contains("name=\"run 1: client RTO\"", "name=\"run 2: client RTO\"", "name=\"run 2: HTTP probe error rate\"");
        rowsOn(lab, patroniLeader(lab));
        Health.awaitHealthy(lab, Duration.ofSeconds(90));
    }

    @Test
    void a_fault_command_in_the_cluster_file_is_how_a_drill_reaches_a_member_it_does_not_own(RunningLab lab) throws Exception {
        Path dir = Files.createDirectories(reports.resolve("fault-command")); // JUnit removes it; the command runs as this user
        Path calls = dir.resolve("calls.log");
        Path command = dir.resolve("fault.sh");
        // what an ssh wrapper would do on the member's host: kill -9 its postmaster, by the data directory's postmaster.pid
        Files.writeString(command, """
                #!/bin/sh
                echo "$1 $2 $3 host=$CONNECT_TARGET_HOST port=$CONNECT_TARGET_PORT" >> %s
                if [ "$1" = apply ] && [ "$2" = postmaster-kill ]; then
                  kill -9 "$(head -1 "$CONNECT_TARGET_DATA_DIR/postmaster.pid")"
                fi
                """.formatted(calls));
        Files.setPosixFilePermissions(command, PosixFilePermissions.fromString("rwxr-xr-x"));
        // the lab's cluster file, no longer marked as the lab's, with the command
        String file = Files.readString(lab.clusterFile());
        Path cluster = dir.resolve("cluster.yaml");
        Files.writeString(cluster, file.substring(file.indexOf('\n') + 1) + "drill_fault_command: " + command + "\n");
        try {
            JsonNode r = drill(cluster, lab, reports, "postmaster-kill");
            String leader = r.path("old_leader").asText();
            MemberSpec m = lab.cluster().spec().member(leader).orElseThrow();
            assertThat(Files.readAllLines(calls)).containsExactly(
                    "apply postmaster-kill " + leader + " host=" + m.host() + " port=" + m.port(),
                    "restore postmaster-kill " + leader + " host=" + m.host() + " port=" + m.port());
            assertThat(r.at("/configuration/faults_by").asText()).contains(command.toString());
            assertThat(r.path("failed").asLong()).as("the postmaster died: clients saw it").isPositive();
            assertThat(r.path("fault_error").isNull()).as("the fault command did its work").isTrue();
            // the leader restarts in place (or, rarely, another takes over): a leader writable, HAProxy on it, writes back
            String newLeader = r.path("new_leader").asText();
            assertThat(newLeader).isEqualTo(patroniLeader(lab));
            long lost = r.path("lost_writes").asLong();
            assertPassedBut(r, "error rate", lost > 0 ? "acknowledged writes lost" : "");
            assertErrorRate(r);
            assertThat(r.path("writable_ms").asLong()).isPositive().isLessThanOrEqualTo(r.path("haproxy_ms").asLong());
            assertThat(r.path("client_rto_ms").asLong()).isPositive().isLessThanOrEqualTo(r.at("/configuration/max_rto_ms").asLong());
            assertThat(r.path("split_brain_writes").asLong()).isZero();
            if (newLeader.equals(leader)) {
                // crash recovery on the same node replays every committed write
                assertThat(lost).isZero();
            }
            long rows = rowsOn(lab, newLeader);
            assertThat(rows).isEqualTo(r.path("rows_present").asLong()).isGreaterThanOrEqualTo(r.path("acknowledged").asLong() - lost);

            // without the command, and not a lab's file, a process fault is refused before anything happens
            Files.writeString(cluster, file.substring(file.indexOf('\n') + 1));
            CommandRun refused = CommandRun.of("ha", "-c", cluster.toString(), "drill", "failover", "--fault", "patroni-kill");
            assertThat(refused.exitCode()).isEqualTo(2);
            assertThat(refused.err()).contains("drill_fault_command").doesNotContain("Exception");
            // one etcd member: killing it would stop everything
            CommandRun etcd = CommandRun.of("ha", "-c", lab.clusterFile().toString(), "drill", "failover", "--fault", "etcd-leader-kill");
            assertThat(etcd.exitCode()).isEqualTo(2);
            assertThat(etcd.err()).contains("needs 3 etcd members");
        } finally {
            Health.awaitHealthy(lab, Duration.ofSeconds(90));
        }
    }

    @Test
    void ctrl_c_in_the_middle_of_node_loss_puts_the_node_back_and_leaves_the_cluster_healthy(RunningLab lab) throws Exception {
        Health.awaitHealthy(lab, Duration.ofSeconds(90));
        String leader = patroniLeader(lab);
        Path jar = TestClusters.PROJECT.resolve("target/connect.jar");
        assertThat(jar).as("the jar: scripts/test builds it before the tests").exists();
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar.toString(),
                "ha", "-c", lab.clusterFile().toString(), "drill", "failover", "--fault", "patroni-kill", "--duration", "60s")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        StringBuilder err = new StringBuilder();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null && !line.startsWith("Fault: ")) {
                err.append(line).append('\n');
            }
            assertThat(line).as(err.toString()).isNotNull();
            Thread.sleep(2_000); // Patroni and PostgreSQL are dead now, the clients failing
            assertThat(new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).start().waitFor()).isZero();
            while ((line = r.readLine()) != null) {
                err.append(line).append('\n');
            }
        }
        assertThat(p.waitFor(150, TimeUnit.SECONDS)).as(err.toString()).isTrue();
        assertThat(p.exitValue()).isEqualTo(130);
        assertThat(err).contains("drill interrupted: putting the cluster back", "put back what patroni-kill stopped on " + leader)
                .doesNotContain("\tat ");
        // the hook waited for health: the killed node's Patroni runs again, the cluster is healthy, the table is gone
        assertThat(lab.lab().status().processes().stream().filter(s -> s.name().equals("patroni-" + leader)).findFirst().orElseThrow()
                .running()).isTrue();
        Health.awaitHealthy(lab, Duration.ofSeconds(30));
        String now = patroniLeader(lab);
        MemberSpec m = lab.cluster().spec().member(now).orElseThrow();
        Connection c = new PgConnector(Duration.ofSeconds(2), Duration.ofSeconds(5)).connect(new PgConnector.Endpoint("PostgreSQL on " + now,
                m.host(), m.port(), "app", "postgres"), lab.secrets().password(SecretName.superuser));
        try {
            boolean dropped = Sql.one(c, "SELECT to_regclass('connect_drill') IS NULL", rs -> rs.getBoolean(1));
            assertThat(dropped).as("the drill table is dropped").isTrue();
        } finally {
            Sql.close(c);
        }
        ProcessController.awaitReady("no drill process left", Duration.ofSeconds(5), Duration.ofMillis(100), () -> !p.isAlive());
    }
}
