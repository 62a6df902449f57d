package io.connectha.integration;

import io.connectha.support.Handles;

import io.connectha.cluster.ClusterSpec;
import io.connectha.cluster.MemberSpec;
import io.connectha.cluster.SecretName;
import io.connectha.process.ProcessController;
import io.connectha.pg.PgConnector;
import io.connectha.status.ClusterStatus;
import io.connectha.support.CommandRun;
import io.connectha.support.Health;
import io.connectha.support.LabExtension;
import io.connectha.support.LabExtension.RunningLab;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** lag check, slots check and check, against real lag and real faults on the lab. */
@Tag("integration")
@ExtendWith(LabExtension.class)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ChecksTest {

    private final PgConnector pg = new PgConnector(Duration.ofSeconds(2), Duration.ofSeconds(30));

    private static CommandRun ha(RunningLab lab, String... args) {
        List<String> all = new ArrayList<>(List.of("ha", "-c", lab.clusterFile().toString()));
        all.addAll(List.of(args));
        return CommandRun.of(all.toArray(String[]::new));
    }

    private Handle superuser(RunningLab lab, String member) {
        MemberSpec m = lab.cluster().spec().member(member).orElseThrow();
        return Handles.open(pg, new PgConnector.Endpoint("PostgreSQL on " + member, m.host(), m.port(), "postgres", "postgres"),
                lab.secrets().password(SecretName.superuser));
    }

    private static String replicaOf(ClusterStatus s) {
        return s.members().stream().filter(m -> !m.isLeader()).findFirst().orElseThrow().name();
    }

    @Test
    void a_healthy_cluster_is_ok_in_every_format(RunningLab lab) throws Exception {
        Health.awaitHealthy(lab, Duration.ofSeconds(90));
        CommandRun nagios = ha(lab, "lag", "check");
        assertThat(nagios.exitCode()).as(nagios.out()).isZero();
        assertThat(nagios.out()).startsWith("REPLICATION LAG OK - ").contains(" | '").contains("_lag_bytes'=0B;").contains("_streaming'=1;;;0;1");
        assertThat(nagios.out().lines()).hasSize(1);
        assertThat(ha(lab, "lag", "check", "-o", "json").out()).contains("\"status\" : \"OK\"", "\"bytes_behind\" : 0");

        Path textfile = Files.createTempDirectory("textfile").resolve("connect.prom");
        CommandRun prom = ha(lab, "lag", "check", "--textfile", textfile.toString());
        assertThat(prom.exitCode()).isZero();
        assertThat(Files.readString(textfile)).contains("# TYPE connect_replication_lag_bytes gauge", "member=\"");
        ProcessController.Result promtool = new ProcessController().run(ProcessController.ProcessSpec.of("promtool",
                textfile.resolveSibling("promtool.log"), false, "sh", "-c", "promtool check metrics < " + textfile), Duration.ofSeconds(30));
        assertThat(promtool.exitCode()).as(promtool.output()).isZero();

        CommandRun check = ha(lab, "check");
        assertThat(check.exitCode()).as(check.out()).isZero();
        assertThat(check.out()).contains("✓ a single leader", "✓ every replica streaming", "✓ etcd healthy, with quorum").doesNotContain("✗");
        assertThat(ha(lab, "slots", "check").out()).startsWith("REPLICATION SLOTS OK - ");
    }

    @Test
    void delayed_replay_and_writes_give_warning_then_critical(RunningLab lab) {
        ClusterStatus s = Health.awaitHealthy(lab, Duration.ofSeconds(90));
        String replica = replicaOf(s);
        try (Handle r = superuser(lab, replica); Handle l = superuser(lab, s.leader())) {
            Health.setReplayDelay(lab, replica, "1h");
            try {
                l.execute("CREATE TABLE IF NOT EXISTS lag_writes (pad text)");
                String[] thresholds = {"--member", replica, "--warning", "256kB", "--critical", "4MB", "--warning-time", "1h", "--critical-time", "2h"};
                CommandRun warning = null;
                for (int i = 0; i < 50; i++) {
                    l.execute("INSERT INTO lag_writes SELECT repeat('w', 1000) FROM generate_series(1, 100)");
                    warning = ha(lab, concat(new String[]{"lag", "check"}, thresholds));
                    if (warning.exitCode() != 0) {
                        break;
                    }
                }
                assertThat(warning.exitCode()).as(warning.out()).isEqualTo(1);
                assertThat(warning.out()).startsWith("REPLICATION LAG WARNING - " + replica).contains("(warning 256 kB)");
                l.execute("INSERT INTO lag_writes SELECT repeat('c', 1000) FROM generate_series(1, 6000)");
                CommandRun critical = ha(lab, concat(new String[]{"lag", "check"}, thresholds));
                assertThat(critical.exitCode()).as(critical.out()).isEqualTo(2);
                assertThat(critical.out()).startsWith("REPLICATION LAG CRITICAL - " + replica).contains("(critical 4.0 MB)");
            } finally {
                Health.setReplayDelay(lab, replica, null);
                l.execute("DROP TABLE IF EXISTS lag_writes");
            }
        }
        Health.awaitHealthy(lab, Duration.ofSeconds(90));
    }

    @Test
    void a_stopped_replica_is_critical(RunningLab lab) {
        ClusterStatus s = Health.awaitHealthy(lab, Duration.ofSeconds(90));
        String replica = replicaOf(s);
        try {
            lab.lab().stopProcess("patroni-" + replica, false);
            CommandRun run = ha(lab, "lag", "check");
            assertThat(run.exitCode()).as(run.out()).isEqualTo(2);
            assertThat(run.out()).startsWith("REPLICATION LAG CRITICAL - ").contains(replica + " unreachable");
            CommandRun check = ha(lab, "check");
            assertThat(check.exitCode()).isEqualTo(2);
            assertThat(check.out()).contains("✗ every replica streaming");
        } finally {
            lab.lab().startProcess("patroni-" + replica);
        }
        Health.awaitHealthy(lab, Duration.ofSeconds(90));
    }

    @Test
    void the_leader_down_is_unknown(RunningLab lab) {
        ClusterStatus s = Health.awaitHealthy(lab, Duration.ofSeconds(90));
        ClusterSpec spec = lab.cluster().spec();
        Health.setPause(lab, true); // so that Patroni neither fails over nor restarts it while we look
        try {
            lab.lab().stopProcess("postgres-" + s.leader(), true);
            CommandRun run = ha(lab, "lag", "check", "--timeout", "4s");
            assertThat(run.exitCode()).as(run.out()).isEqualTo(3);
            assertThat(run.out()).startsWith("REPLICATION LAG UNKNOWN - the leader cannot be reached (" + s.leader() + ":");
            assertThat(run.out().lines()).hasSize(1);
            assertThat(ha(lab, "slots", "check").exitCode()).isEqualTo(3);
        } finally {
            Health.setPause(lab, false);
        }
        Health.awaitHealthy(lab, Duration.ofSeconds(90));
    }

    @Test
    void an_idle_primary_past_the_time_thresholds_is_still_ok(RunningLab lab) throws Exception {
        ClusterStatus s = Health.awaitHealthy(lab, Duration.ofSeconds(90));
        String replica = replicaOf(s);
        Thread.sleep(3000); // no writes: the last replayed transaction ages past both time thresholds
        try (Handle r = superuser(lab, replica)) {
            Double age = r.createQuery("SELECT extract(epoch FROM now() - pg_last_xact_replay_timestamp())").mapTo(Double.class).one();
            assertThat(age).as("the replica's last replayed transaction is older than the critical time").isGreaterThan(2.0);
        }
        CommandRun run = ha(lab, "lag", "check", "--warning-time", "1s", "--critical-time", "2s", "-o", "table");
        assertThat(run.exitCode()).as(run.out()).isZero();
        assertThat(run.out()).contains("no bytes behind");
    }

    @Test
    void an_inactive_slot_is_critical_and_a_paused_patroni_fails_the_checklist(RunningLab lab) {
        ClusterStatus s = Health.awaitHealthy(lab, Duration.ofSeconds(90));
        try (Handle l = superuser(lab, s.leader())) {
            l.execute("SELECT pg_create_physical_replication_slot('orphan', true)");
            try {
                CommandRun run = ha(lab, "slots", "check", "-o", "table");
                assertThat(run.exitCode()).isEqualTo(2);
                assertThat(run.out()).contains("orphan", "inactive: it keeps WAL").containsPattern("orphan +physical +NO");
            } finally {
                l.execute("SELECT pg_drop_replication_slot('orphan')");
            }
        }
        Health.setPause(lab, true);
        try {
            CommandRun check = ha(lab, "check", "-o", "nagios");
            assertThat(check.exitCode()).isEqualTo(2);
            assertThat(check.out()).startsWith("HA CHECK CRITICAL - 1 of 9 criteria not met: Patroni not paused");
        } finally {
            Health.setPause(lab, false);
        }
    }

    private static String[] concat(String[] a, String[] b) {
        String[] all = new String[a.length + b.length];
        System.arraycopy(a, 0, all, 0, a.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
