package io.connectha.integration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.connectha.cluster.ClusterFileLoader;
import io.connectha.cluster.EtcdSpec;
import io.connectha.cluster.LoadedCluster;
import io.connectha.etcd.EtcdGateway;
import io.connectha.lab.Lab;
import io.connectha.lab.LabOptions;
import io.connectha.net.Http;
import io.connectha.render.Progress;
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
 * etcd-leader-kill needs 3 etcd members, so this test has its own 2-member lab with 3 etcd members
 * (ports 300 above the shared lab's), always taken down afterwards.
 */
@Tag("integration")
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class DrillEtcdTest {

    private static final Path DIR = Path.of(LabExtension.DIR + "-etcd3");
    private static final Lab LAB = new Lab(DIR, new Progress(new PrintWriter(System.err, true), false));

    @TempDir
    Path reports;

    @BeforeAll
    static void up() {
        LAB.down(true);
        LAB.up(new LabOptions(DIR, 2, 3, LabExtension.PORT_BASE + 300, LabOptions.Profile.fast, false));
    }

    @AfterAll
    static void down() {
        LAB.down(true);
    }

    @Test
    void killing_etcds_raft_leader_elects_another_and_the_cluster_keeps_its_leader_and_its_writes() throws Exception {
        LoadedCluster cluster = new ClusterFileLoader().load(LAB.layout().clusterFile());
        CommandRun run = CommandRun.of("ha", "-c", LAB.layout().clusterFile().toString(), "drill", "failover", "--fault",
                "etcd-leader-kill", "--clients", "3", "--duration", "8s", "--report", reports.toString());
        JsonNode r = new ObjectMapper().readTree(Files.readString(reports.resolve("report.json")));
        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        String killed = r.path("target").asText();
        assertThat(killed).startsWith("etcd");
        assertThat(r.path("etcd_leader_ms").asLong()).isPositive().isLessThan(10_000);
        assertThat(r.path("lost_writes").asLong()).isZero();
        assertThat(r.path("split_brain_writes").asLong()).isZero();
        assertThat(r.path("acknowledged").asLong()).isEqualTo(r.path("rows_present").asLong());

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
