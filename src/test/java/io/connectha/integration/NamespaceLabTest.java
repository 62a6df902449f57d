package io.connectha.integration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.connectha.cluster.MemberSpec;
import io.connectha.lab.Lab;
import io.connectha.lab.LabNetwork;
import io.connectha.lab.LabProcess;
import io.connectha.process.ProcessController;
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
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
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
            assertThat(lab.status().network().partitioned()).containsExactly(network.namespace(leader));
        } finally {
            network.heal();
        }
        assertThat(lab.status().network().partitioned()).isEmpty();
        assertThat(lab.status().network().namespaces()).hasSize(4);
        assertThat(network.partitioned()).isFalse();
        NamespaceLab.awaitHealthy(Duration.ofSeconds(120));
    }

    @Test
    @Order(3)
    void fault_over_ssh_partitions_hosts_with_nft_and_heals_them(@TempDir Path dir) throws Exception {
        NamespaceLab.awaitHealthy(Duration.ofSeconds(120));
        // ssh and sudo that enter the namespace owning the host's address, so that the example runs unchanged
        Path bin = Files.createDirectories(dir.resolve("bin"));
        for (String shim : List.of("ssh", "sudo")) {
            Path to = bin.resolve(shim);
            Files.copy(Path.of("src/test/resources/fault-over-ssh", shim), to);
            Files.setPosixFilePermissions(to, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        Path script = dir.resolve("fault.sh");
        Files.writeString(script, "#!/bin/sh\nPATH=" + bin + ":$PATH exec " + Path.of("examples/drills/fault-over-ssh.sh").toAbsolutePath()
                + " \"$@\"\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        // replicas only: a leader cut off from etcd for the few seconds of these checks could demote itself after
        // retry_timeout, and the next test would start during that failover
        var spec = NamespaceLab.cluster().spec();
        MemberSpec leader = spec.member(NamespaceLab.status().leader()).orElseThrow();
        List<MemberSpec> replicas = spec.members().stream().filter(m -> !m.name().equals(leader.name())).toList();
        MemberSpec a = replicas.get(0);
        MemberSpec b = replicas.get(1);
        String members = String.join(",", spec.members().stream().map(MemberSpec::host).toList());
        Map<String, String> env = Map.of("CONNECT_TARGET_HOSTS", a.host(), "CONNECT_MEMBER_HOSTS", members, "CONNECT_CLUSTER", "lab");

        assertThat(script(script, env, "apply", "partition-halves", a.name())).isZero();
        try {
            assertThat(reaches(a.name(), b.host(), b.port())).as(a.name() + " -> " + b.name() + " across the halves").isFalse();
            assertThat(reaches(leader.name(), a.host(), a.port())).as(leader.name() + " -> " + a.name() + " across the halves").isFalse();
            assertThat(reaches(b.name(), leader.host(), leader.port())).as(b.name() + " -> " + leader.name() + " on one side").isTrue();
            assertThat(reaches("proxy", a.host(), a.port())).as("the proxy reaches both sides").isTrue();
            assertThat(network.partitioned()).isTrue();
        } finally {
            assertThat(script(script, env, "restore", "partition-halves", a.name())).isZero();
        }
        assertThat(network.partitioned()).isFalse();
        assertThat(reaches(a.name(), b.host(), b.port())).isTrue();
        assertThat(script(script, env, "restore", "partition-halves", a.name())).as("restore twice").isZero();

        // etcd only: its client and peer ports cut both ways, PostgreSQL still reachable
        var etcd = spec.etcd().members().stream().filter(e -> e.host().equals(leader.host())).findFirst().orElseThrow();
        String ports = spec.etcd().members().stream().flatMap(e -> java.util.stream.Stream.of(e.clientPort(), e.peerPort()))
                .map(String::valueOf).collect(java.util.stream.Collectors.joining(","));
        Map<String, String> dcs = Map.of("CONNECT_TARGET_HOST", b.host(), "CONNECT_ETCD_PORTS", ports, "CONNECT_CLUSTER", "lab");
        assertThat(script(script, dcs, "apply", "partition-leader-dcs", b.name())).isZero();
        try {
            assertThat(reaches(b.name(), etcd.host(), etcd.clientPort())).as(b.name() + " -> " + etcd.name() + " cut").isFalse();
            assertThat(reaches(a.name(), b.host(), b.port())).as(a.name() + " -> " + b.name() + "'s PostgreSQL still reachable").isTrue();
        } finally {
            assertThat(script(script, dcs, "restore", "partition-leader-dcs", b.name())).isZero();
        }
        assertThat(reaches(b.name(), etcd.host(), etcd.clientPort())).isTrue();
        assertThat(network.partitioned()).isFalse();
        // a whole drill through a fault command runs in AdoptedStackTest (its own fault.sh); this one proves the example's rules
    }

    private static int script(Path script, Map<String, String> env, String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of(script.toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        int code = p.waitFor();
        System.err.println("fault-over-ssh.sh " + String.join(" ", args) + " -> " + code + ": " + out.strip());
        return code;
    }

    /** Whether a TCP connection from a host's namespace to host:port succeeds within 2 s. */
    private boolean reaches(String fromHost, String host, int port) throws Exception {
        Process p = new ProcessBuilder("ip", "netns", "exec", network.namespace(fromHost), "timeout", "2", "bash", "-c",
                "echo > /dev/tcp/" + host + "/" + port).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor() == 0;
    }

    @Test
    @Order(4)
    void a_partitioned_leader_drill_holds_the_fault_and_measures_the_old_leaders_side(@TempDir Path dir) throws Exception {
        CommandRun drill = null;
        // preflight refuses a cluster that is not healthy; one that a previous test left settling gets a second chance
        for (int attempt = 0; attempt < 2 && !Files.exists(dir.resolve("report.json")); attempt++) {
            NamespaceLab.awaitHealthy(Duration.ofSeconds(120));
            drill = CommandRun.of("ha", "-c", lab.layout().clusterFile().toString(), "drill", "failover", "--fault", "partition-leader",
                    "--yes", "--duration", "6s", "--report", dir.toString());
            System.err.println(drill.err());
        }
        assertThat(dir.resolve("report.json")).as("exit " + drill.exitCode() + ": " + drill.err()).exists();
        JsonNode r = new ObjectMapper().readTree(Files.readString(dir.resolve("report.json")));
        String old = r.path("old_leader").asText();
        assertThat(r.path("fault_error").isNull()).as(drill.err()).isTrue();
        assertThat(r.path("target").asText()).isEqualTo(old);
        assertThat(r.path("new_leader").asText()).as("cut off beyond ttl, the leader changes").isNotEqualTo(old).isNotEmpty();
        // held until the leader settled: after the new key, and at least ttl + loop_wait (12 s on the fast profile)
        assertThat(r.path("restored_at_ms").asLong()).isGreaterThanOrEqualTo(r.path("new_leader_key_ms").asLong()).isGreaterThanOrEqualTo(12_000);
        // what the operator's status said meanwhile: a problem naming the cut-off leader, within status's deadline
        JsonNode during = r.path("status_during_fault");
        assertThat(during.path("exit_code").asInt()).as(during.toString()).isIn(4, 5);
        assertThat(during.path("names_target").asBoolean()).as(during.toString()).isTrue();
        assertThat(during.path("took_ms").asLong()).isLessThanOrEqualTo(during.path("deadline_ms").asLong() + 1_500);
        // the leader-side clients (bound to the address the partition lets through) wrote straight to the old leader;
        // in synchronous mode its commits wait for a standby it cannot reach, so none after the new leader's first is kept
        assertThat(r.path("window_writes").isNumber()).as(r.toString()).isTrue();
        assertThat(r.path("window_writes_survived").asLong() + r.path("window_writes_lost").asLong()).isEqualTo(r.path("window_writes").asLong());
        assertThat(r.path("window_writes_lost").asLong()).as("synchronous mode").isZero();
        assertThat(network.partitioned()).isFalse();
    }

    @Test
    @Order(99)
    void lab_down_after_a_crash_leaves_no_namespace_bridge_rule_or_process() throws Exception {
        MemberSpec leader = NamespaceLab.cluster().spec().member(NamespaceLab.awaitLeader(Duration.ofSeconds(120))).orElseThrow();
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
