package io.connectha.integration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.connectha.cluster.MemberSpec;
import io.connectha.lab.Lab;
import io.connectha.lab.LabNetwork;
import io.connectha.lab.LabProcess;
import io.connectha.process.ProcessController;
import io.connectha.status.ClusterStatus;
import io.connectha.support.CommandRun;
import io.connectha.support.NamespaceLab;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The lab in network namespaces, against the real programs: each host its own namespace, partitions that
 * status sees from the operator's side within its deadline, and lab down leaving nothing, even after a crash
 * that left a partition and every process behind.
 */
@Tag("integration")
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NamespaceLabTest {

    private static Lab lab;
    private static LabNetwork network;

    @BeforeAll
    static void up() {
        lab = NamespaceLab.up();
        network = lab.network().orElseThrow();
    }

    @AfterAll
    static void down() {
        NamespaceLab.down();
    }

    @Test
    @Order(1)
    void every_host_is_a_namespace_of_its_own_with_no_route_out_of_the_lab() {
        Map<String, String> expected = Map.of("etcd1", "pg1", "etcd2", "pg2", "etcd3", "pg3", "patroni-pg1", "pg1", "patroni-pg2", "pg2",
                "patroni-pg3", "pg3", "postgres-pg1", "pg1", "haproxy", "proxy", "pgbouncer", "proxy");
        List<LabProcess> processes = lab.status().processes();
        for (Map.Entry<String, String> e : expected.entrySet()) {
            LabProcess p = processes.stream().filter(x -> x.name().equals(e.getKey())).findFirst().orElseThrow();
            assertThat(p.answering()).as(e.getKey() + " answers at " + p.address()).isTrue();
            assertThat(NamespaceLab.run("ip", "netns", "identify", Long.toString(p.pid())).strip()).as(e.getKey())
                    .isEqualTo(network.namespace(e.getValue()));
            assertThat(p.address()).startsWith("198.18.1.");
        }
        for (String host : List.of("proxy", "pg1", "pg2", "pg3")) {
            String routes = NamespaceLab.run("ip", "-n", network.namespace(host), "route", "show");
            assertThat(routes).as(host).doesNotContain("default").contains("198.18.1.0/24");
        }
        // the host's own end: the operator's address and the leader-side client's
        assertThat(NamespaceLab.run("ip", "-o", "addr", "show")).contains("198.18.1.1/24").contains("198.18.1.2/24");
    }

    @Test
    @Order(2)
    void status_from_the_operators_side_names_a_partitioned_leader_within_its_deadline() throws Exception {
        NamespaceLab.awaitHealthy(Duration.ofSeconds(90));
        String leader = NamespaceLab.status().leader();
        network.isolate(leader, false);
        try {
            long t = System.nanoTime();
            CommandRun run = CommandRun.inChild(lab.layout().dir(), Map.of(), "ha", "-c", lab.layout().clusterFile().toString(),
                    "status", "-o", "json");
            Duration took = Duration.ofNanos(System.nanoTime() - t);
            JsonNode s = new ObjectMapper().readTree(run.out());
            assertThat(run.exitCode()).as(run.err()).isIn(4, 5);
            // status's deadline is 3.5 s (connect 1 s + read 2 s + 0.5 s); a JVM start on top
            assertThat(took).isLessThan(Duration.ofSeconds(8));
            assertThat(s.toString()).contains(leader);
            JsonNode member = null;
            for (JsonNode m : s.path("members")) {
                if (m.path("name").asText().equals(leader)) {
                    member = m;
                }
            }
            assertThat(member).as(run.out()).isNotNull();
            assertThat(s.path("problems").toString()).contains(leader);
            assertThat(network.partitioned()).isTrue();
        } finally {
            network.heal();
        }
        assertThat(network.partitioned()).isFalse();
        NamespaceLab.awaitHealthy(Duration.ofSeconds(120));
    }

    @Test
    @Order(99)
    void lab_down_after_a_crash_leaves_no_namespace_bridge_rule_or_process() throws Exception {
        NamespaceLab.awaitHealthy(Duration.ofSeconds(120));
        ClusterStatus s = NamespaceLab.status();
        MemberSpec leader = NamespaceLab.cluster().spec().member(s.leader()).orElseThrow();
        network.isolate(leader.name(), false);
        lab.freeze("patroni-" + leader.name());
        List<Long> pids = lab.status().processes().stream().filter(LabProcess::running).map(LabProcess::pid).toList();
        // a crash: the replicas' Patronis killed (their PostgreSQL outlives them) and every pid file lost, so that
        // only the namespaces, whose names come from the directory, say what is the lab's
        for (MemberSpec m : NamespaceLab.cluster().spec().members()) {
            if (!m.name().equals(leader.name())) {
                lab.stopProcess("patroni-" + m.name(), true);
            }
        }
        try (var files = Files.list(lab.layout().run())) {
            for (Path f : files.filter(f -> f.toString().endsWith(".pid")).toList()) {
                Files.delete(f);
            }
        }
        String prefix = network.namespace("x").replace("-x", "");
        CommandRun down = CommandRun.of("ha", "lab", "down", "--dir", lab.layout().dir().toString());
        assertThat(down.exitCode()).as(down.out() + down.err()).isZero();
        assertThat(NamespaceLab.run("ip", "netns", "list")).doesNotContain(prefix);
        assertThat(NamespaceLab.run("ip", "-o", "link", "show")).doesNotContain(prefix);
        assertThat(NamespaceLab.run("ip", "-o", "addr", "show")).doesNotContain("198.18.1.");
        assertThat(pids).isNotEmpty().allSatisfy(p -> assertThat(ProcessController.isAlive(p)).as("pid " + p).isFalse());
        CommandRun again = CommandRun.of("ha", "lab", "down", "--dir", lab.layout().dir().toString());
        assertThat(again.exitCode()).as(again.err()).isZero();
        assertThat(Files.exists(Path.of(lab.layout().dir().toString(), "cluster.yaml"))).isTrue();
    }
}
