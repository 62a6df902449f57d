package io.connectha.support;

import io.connectha.cluster.ClusterFileLoader;
import io.connectha.cluster.LoadedCluster;
import io.connectha.cluster.SecretResolver;
import io.connectha.lab.Lab;
import io.connectha.lab.LabOptions;
import io.connectha.lab.LabSubnet;
import io.connectha.process.ProcessController;
import io.connectha.process.Progress;
import io.connectha.status.ClusterStatus;
import io.connectha.status.StatusService;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A lab in network namespaces for the tests that partition hosts: 3 members with 3 etcd members, synchronous
 * mode (the promise that no acknowledged write is lost), on its own range and ports so that it never meets the
 * shared loopback lab or an operator's namespace lab. Always taken down, also by a JVM stopped with SIGTERM;
 * after SIGKILL the next run's {@link #up} takes the leftovers down first.
 */
public final class NamespaceLab {

    public static final Path DIR = Path.of(System.getProperty("connect.test.ns-lab-dir", "/tmp/connect-test-nslab"));
    public static final int PORT_BASE = Integer.getInteger("connect.test.ns-port-base", 25200);
    public static final LabSubnet SUBNET = LabSubnet.parse(System.getProperty("connect.test.ns-subnet", "198.18.1.0/24"));

    private static Lab lab;

    private NamespaceLab() {
    }

    public static synchronized Lab up() {
        if (lab == null) {
            lab = new Lab(DIR, new Progress(new PrintWriter(System.err, true), false));
            lab.down(true);
            Lab l = lab;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> l.down(false), "ns-lab-down"));
        }
        lab.up(new LabOptions(DIR, 3, 3, PORT_BASE, LabOptions.Profile.fast, true, false, LabOptions.Network.namespaces, SUBNET));
        return lab;
    }

    public static synchronized void down() {
        if (lab != null) {
            lab.down(true);
        }
    }

    public static LoadedCluster cluster() {
        return new ClusterFileLoader().load(lab.layout().clusterFile());
    }

    /** The cluster as status sees it from the host namespace, with status's own timeouts. */
    public static ClusterStatus status() {
        LoadedCluster cluster = cluster();
        return new StatusService(cluster, new SecretResolver(cluster), new StatusService.Options(Duration.ofSeconds(1), Duration.ofSeconds(2),
                null)).check();
    }

    public static void awaitHealthy(Duration deadline) {
        try {
            ProcessController.awaitReady("the namespace lab healthy", Duration.ofSeconds(45), Duration.ofMillis(500), () -> status().healthy());
            return;
        } catch (RuntimeException e) {
            // a member left on a dead timeline (Patroni 3.0.2 took the key back from it: docs/drills.md) never streams by
            // itself: rebuilt below, as an operator would
        }
        ClusterStatus s = status();
        for (io.connectha.status.MemberStatus m : s.members()) {
            if (s.leader() != null && !m.name().equals(s.leader()) && !Boolean.TRUE.equals(m.streaming())) {
                CommandRun reinit = CommandRun.of("ha", "-c", lab.layout().clusterFile().toString(), "patroni", "reinit", m.name(), "--yes",
                        "--force");
                System.err.println("rebuilt " + m.name() + ": exit " + reinit.exitCode() + " " + reinit.err().strip());
            }
        }
        ProcessController.awaitReady("the namespace lab healthy", deadline, Duration.ofMillis(500), () -> status().healthy());
    }

    /** Until some member leads (healthy or not). */
    public static String awaitLeader(Duration deadline) {
        ProcessController.awaitReady("a leader in the namespace lab", deadline, Duration.ofMillis(500), () -> status().leader() != null);
        return status().leader();
    }

    /** What a command prints; its exit code does not matter. */
    public static String run(String... command) {
        try {
            Process p = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor();
            return out;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
