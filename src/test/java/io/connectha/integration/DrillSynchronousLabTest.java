package io.connectha.integration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.connectha.cluster.ClusterFileLoader;
import io.connectha.cluster.EtcdSpec;
import io.connectha.cluster.LoadedCluster;
import io.connectha.cluster.MemberSpec;
import io.connectha.cluster.SecretResolver;
import io.connectha.process.ProcessController;
import io.connectha.status.ClusterStatus;
import io.connectha.status.StatusService;
import io.connectha.etcd.EtcdGateway;
import io.connectha.lab.Lab;
import io.connectha.lab.LabOptions;
import io.connectha.net.Http;
import io.connectha.process.Progress;
import io.connectha.support.CommandRun;
import io.connectha.support.LabExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Drills that need a lab of their own: etcd-leader-kill needs 3 etcd members, and the promise that
 * synchronous_mode loses no acknowledged write needs synchronous replication. A 2-member synchronous lab
 * with 3 etcd members (ports 300 above the shared lab's), always taken down afterwards.
 */
@Tag("integration")
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class DrillSynchronousLabTest {

    private static final Path DIR = Path.of(LabExtension.DIR + "-etcd3");
    private static final Lab LAB = new Lab(DIR, new Progress(new PrintWriter(System.err, true), false));

    @TempDir
    Path reports;

    @BeforeAll
    static void up() {
        LAB.down(true);
        LAB.up(new LabOptions(DIR, 2, 3, LabExtension.PORT_BASE + 300, LabOptions.Profile.fast, true));
    }

    @AfterAll
    static void down() {
        LAB.down(true);
    }

    private JsonNode drill(String fault) throws Exception {
        ProcessController.awaitReady("the synchronous lab healthy", Duration.ofSeconds(120), Duration.ofMillis(500), () -> status().healthy());
        CommandRun run = CommandRun.of("ha", "-c", LAB.layout().clusterFile().toString(), "drill", "failover", "--fault", fault,
                "--clients", "3", "--duration", "8s", "--keep-table", "--report", reports.toString());
        assertThat(reports.resolve("report.json")).as(run.out() + run.err()).exists();
        return new ObjectMapper().readTree(Files.readString(reports.resolve("report.json")));
    }

    private static ClusterStatus status() {
        LoadedCluster cluster = new ClusterFileLoader().load(LAB.layout().clusterFile());
        return new StatusService(cluster, new SecretResolver(cluster), new StatusService.Options(Duration.ofSeconds(1), Duration.ofSeconds(2),
                16L << 20)).check();
    }

    @Test
    void under_synchronous_mode_node_loss_loses_no_acknowledged_write() throws Exception {
        ClusterStatus before = status();
        String syncStandby = before.members().stream().filter(m -> !m.name().equals(before.leader())).findFirst().orElseThrow().name();
        JsonNode r = drill("patroni-kill");
        assertThat(r.at("/configuration/synchronous_mode").asBoolean()).isTrue();
        assertThat(r.path("new_leader").asText()).isEqualTo(syncStandby);
        assertThat(r.path("lost_writes").asLong()).isZero();
        assertThat(r.path("rpo_bytes_estimate").asLong()).isZero();
        // what the test counts on the new leader itself: every acknowledged write
        LoadedCluster cluster = new ClusterFileLoader().load(LAB.layout().clusterFile());
        MemberSpec m = cluster.spec().member(syncStandby).orElseThrow();
        // (a commit in flight when the node died may be there without its acknowledgement: present, never lost)
        long rows = DrillTest.rowsOn(cluster, new SecretResolver(cluster), m.name());
        assertThat(rows).isEqualTo(r.path("rows_present").asLong()).isGreaterThanOrEqualTo(r.path("acknowledged").asLong());
        assertThat(r.path("acknowledged").asLong()).isPositive();
        assertThat(r.path("rejoin_ms").asLong()).isPositive();
        ProcessController.awaitReady("healthy after the drill", Duration.ofSeconds(120), Duration.ofMillis(500), () -> status().healthy());
        assertThat(status().leader()).isEqualTo(m.name());
    }

    @Test
    void killing_etcds_raft_leader_elects_another_and_the_cluster_keeps_its_leader_and_its_writes() throws Exception {
        LoadedCluster cluster = new ClusterFileLoader().load(LAB.layout().clusterFile());
        JsonNode r = drill("etcd-leader-kill");
        String killed = r.path("target").asText();
        assertThat(killed).startsWith("etcd");
        assertThat(r.path("etcd_leader_ms").asLong()).isPositive().isLessThan(10_000);
        assertThat(r.path("lost_writes").asLong()).isZero();
        assertThat(r.path("split_brain_writes").asLong()).isZero();
        assertThat(DrillTest.rowsOn(cluster, new SecretResolver(cluster), r.path("new_leader").asText()))
                .isEqualTo(r.path("rows_present").asLong()).isGreaterThanOrEqualTo(r.path("acknowledged").asLong());

        // what the test sees in etcd: another member leads raft, and the killed one is back (the drill restarted it)
        try (Http http = new Http(Duration.ofSeconds(1), Duration.ofSeconds(2))) {
            EtcdGateway etcd = new EtcdGateway(http);
            int leaders = 0;
            for (EtcdSpec.EtcdMemberSpec m : cluster.spec().etcd().members()) {
                EtcdGateway.EndpointStatus s = etcd.status(m.clientUrl());
                leaders += s.isLeader() ? 1 : 0;
            }
            assertThat(leaders).isEqualTo(1);
        }
        assertThat(LAB.status().processes().stream().filter(p -> p.name().equals(killed)).findFirst().orElseThrow().running()).isTrue();
        assertThat(r.path("criteria").findValues("passed")).allMatch(JsonNode::asBoolean);
    }
}
