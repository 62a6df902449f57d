package io.connectha.integration;

import io.connectha.cluster.ClusterFileLoader;
import io.connectha.cluster.ClusterSpec;
import io.connectha.lab.Lab;
import io.connectha.lab.LabOptions;
import io.connectha.lab.LabProcess;
import io.connectha.lab.LabStatus;
import io.connectha.lab.PidFile;
import io.connectha.process.ProcessController;
import io.connectha.process.Progress;
import io.connectha.support.CommandRun;
import io.connectha.support.LabExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A small lab of its own, for what the shared one must never go through: crashes, kills and stale pid files. */
@Tag("integration")
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class LabLifecycleTest {

    private static final Path DIR = Path.of(System.getProperty("connect.test.lifecycle-dir", LabExtension.DIR + "-lifecycle"));
    private static final int BASE = Integer.getInteger("connect.test.lifecycle-port-base", 24000);
    private final Lab lab = new Lab(DIR, new Progress(new PrintWriter(System.err, true), false));

    @AfterEach
    void down() {
        lab.down(true);
    }

    private LabStatus up() {
        lab.down(true);
        return lab.up(new LabOptions(DIR, 1, 1, BASE, LabOptions.Profile.fast, false));
    }

    @Test
    void down_stops_postgresql_that_outlived_a_killed_patroni_and_leaves_no_process_or_port() throws Exception {
        LabStatus status = up();
        long patroni = pid(status, "patroni-pg1");
        long postgres = pid(status, "postgres-pg1");
        ProcessHandle.of(patroni).orElseThrow().destroyForcibly();
        ProcessHandle.of(patroni).orElseThrow().onExit().get();
        Thread.sleep(500);
        assertThat(ProcessController.isAlive(postgres)).as("PostgreSQL outlives a killed Patroni").isTrue();

        ClusterSpec spec = new ClusterFileLoader().load(lab.layout().clusterFile()).spec();
        CommandRun down = CommandRun.of("ha", "lab", "down", "--dir", DIR.toString());
        assertThat(down.exitCode()).as(down.out() + down.err()).isZero();
        assertThat(ProcessController.isAlive(postgres)).isFalse();
        assertThat(PidFile.orphansOf(DIR)).isEmpty();
        assertThat(boundPorts(spec)).isEmpty();
        assertThat(CommandRun.of("ha", "lab", "status", "--dir", DIR.toString()).out()).doesNotContain("running");
    }

    @Test
    void up_after_a_crash_clears_stale_pid_files_and_purge_removes_the_directory() throws Exception {
        up();
        lab.down(false);
        // what a crash or a reboot leaves: pid files naming dead processes or someone else's
        Files.writeString(lab.layout().run().resolve("etcd1.pid"), "999999\n");
        Files.writeString(lab.layout().run().resolve("haproxy.pid"), ProcessHandle.current().pid() + "\n");
        LabStatus status = lab.up(new LabOptions(DIR, 1, 1, BASE, LabOptions.Profile.fast, false));
        assertThat(status.allRunning()).isTrue();
        assertThat(pid(status, "haproxy")).isNotEqualTo(ProcessHandle.current().pid());

        CommandRun purge = CommandRun.of("ha", "lab", "down", "--dir", DIR.toString(), "--purge");
        assertThat(purge.exitCode()).isZero();
        assertThat(purge.out()).contains("Removed " + DIR);
        assertThat(DIR).doesNotExist();
    }

    @Test
    void a_port_in_use_is_named_before_anything_starts() throws Exception {
        try (var blocker = new java.net.ServerSocket()) {
            blocker.bind(new java.net.InetSocketAddress("127.0.0.10", BASE + 40));
            lab.down(true);
            CommandRun run = CommandRun.of("ha", "lab", "up", "--dir", DIR.toString(), "--members", "1", "--port-base", Integer.toString(BASE));
            assertThat(run.exitCode()).isEqualTo(1);
            assertThat(run.err()).contains("port 127.0.0.10:" + (BASE + 40) + " (for haproxy) is already in use");
            assertThat(PidFile.orphansOf(DIR)).isEmpty();
        }
    }

    private static long pid(LabStatus status, String name) {
        return status.processes().stream().filter(p -> p.name().equals(name)).map(LabProcess::pid).findFirst().orElseThrow();
    }

    private static List<String> boundPorts(ClusterSpec spec) {
        List<String> addresses = new ArrayList<>();
        spec.members().forEach(m -> {
            addresses.add(m.address());
            addresses.add(m.restAddress());
        });
        spec.etcd().members().forEach(e -> {
            addresses.add(e.host() + ":" + e.clientPort());
            addresses.add(e.host() + ":" + e.peerPort());
        });
        addresses.add(spec.haproxy().writeAddress());
        addresses.add(spec.haproxy().readAddress());
        addresses.add(spec.haproxy().statsHost() + ":" + spec.haproxy().statsPort());
        addresses.add(spec.pgbouncer().address());
        return addresses.stream().filter(a -> ProcessController.isListening(a.split(":")[0], Integer.parseInt(a.split(":")[1]),
                Duration.ofMillis(200))).toList();
    }
}
