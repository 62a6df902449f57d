package io.connectha.cli.etcd;

import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * jetcd with gRPC, Netty and Vert.x costs some 300 ms of class loading; cron runs the other
 * commands often, so only the etcd commands that talk to etcd may load it. Picocli instantiates
 * every command of the tree at start-up, so a jetcd type in a command's fields or signatures
 * would load it for everyone: a fresh JVM per case tells.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class EtcdClassLoadingTest {

    @TempDir
    Path dir;

    private List<String> jetcdClassesLoadedBy(String... args) throws IOException, InterruptedException {
        Path log = dir.resolve("classes-" + System.nanoTime() + ".log");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xlog:class+load=info:file=" + log, "-cp", System.getProperty("java.class.path"), "io.connectha.cli.Main"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(dir.resolve("out.log").toFile()).start();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("connect " + String.join(" ", args) + " ended").isTrue();
        return Files.readAllLines(log).stream().filter(l -> l.contains(" io.etcd.jetcd.") || l.contains(" io.grpc.")
                || l.contains(" org.bouncycastle.")).toList();
    }

    @Test
    void help_for_the_tree_and_for_the_etcd_commands_loads_no_jetcd() throws Exception {
        assertThat(jetcdClassesLoadedBy("ha", "--help")).isEmpty();
        assertThat(jetcdClassesLoadedBy("ha", "etcd", "status", "--help")).isEmpty();
    }

    @Test
    void a_cluster_without_tls_loads_no_pem_parser() throws Exception {
        Path cluster = dir.resolve("cluster.yaml");
        Files.writeString(cluster, io.connectha.support.TestClusters.minimal(dir).replace("10.1.0.1", "127.0.0.1"));
        List<String> loaded = jetcdClassesLoadedBy("ha", "-c", cluster.toString(), "patroni", "list", "--connect-timeout", "100ms");
        assertThat(loaded).noneMatch(l -> l.contains("org.bouncycastle."));
    }

    @Test
    void an_etcd_command_that_talks_to_etcd_does_load_it_so_the_check_above_can_fail() throws Exception {
        int port;
        try (ServerSocket s = io.connectha.support.TimedRun.listen(InetAddress.getLoopbackAddress(), 1)) {
            port = s.getLocalPort();
        }
        Path cluster = dir.resolve("cluster.yaml");
        Files.writeString(cluster, io.connectha.support.TestClusters.minimal(dir)
                .replace("host: 10.1.0.21}", "host: 127.0.0.1, client_port: " + port + "}"));
        assertThat(jetcdClassesLoadedBy("ha", "-c", cluster.toString(), "etcd", "status")).isNotEmpty();
    }
}
