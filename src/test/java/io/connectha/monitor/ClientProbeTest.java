package io.connectha.monitor;

import io.connectha.cluster.ClusterFileLoader;
import io.connectha.cluster.LoadedCluster;
import io.connectha.cluster.SecretResolver;
import io.connectha.error.ConnectError;
import io.connectha.support.TestClusters;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The probe's life cycle against ports where nothing answers as PostgreSQL: a refused port (a cluster down at start-up)
 * and a listener that never speaks (a black-holed path). The real paths are proven on a lab.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ClientProbeTest {

    @TempDir
    Path dir;

    /**
     * A loopback address of this test's own, with ports of this test's own (below the ephemeral range): nothing else
     * listens there, and runs of the suite in other working copies do not collide.
     */
    private final String host = "127.234." + (1 + new java.util.Random().nextInt(254)) + "." + (1 + new java.util.Random().nextInt(254));

    private final List<String> heard = new CopyOnWriteArrayList<>();
    private final ClientProbe.Listener listener = new ClientProbe.Listener() {
        @Override
        public void failing(Instant at, String path, String error) {
            heard.add("failing " + path + ": " + error);
        }

        @Override
        public void recovered(Instant at, String path, Duration outage) {
            heard.add("recovered " + path);
        }
    };

    @Test
    void a_cluster_down_at_start_up_does_not_fail_start_and_both_paths_count_as_failing() throws Exception {
        int write = 23498;
        int read = 23499;
        LoadedCluster cluster = cluster(write, read);

        try (ClientProbe probe = probe(cluster, Duration.ofMillis(50))) {
            probe.start();
            Thread.sleep(400);
            ProbeFigures figures = probe.figures();

            ProbeFigures.Path w = figures.path("write");
            ProbeFigures.Path r = figures.path("read");
            assertThat(figures.slo()).isEqualTo(99.9);
            assertThat(w.ok()).isZero();
            assertThat(w.failed()).isGreaterThanOrEqualTo(4);
            assertThat(w.up()).isFalse();
            assertThat(w.outages()).isEqualTo(1);
            assertThat(w.currentOutage()).isGreaterThanOrEqualTo(Duration.ofMillis(350));
            assertThat(w.window("1h").down()).isEqualTo(w.window("life").down());
            assertThat(w.window("life").availability()).isLessThan(0.2);
            assertThat(w.bucketCounts()[w.bucketCounts().length - 1]).isEqualTo(w.ok() + w.failed());
            assertThat(r.failed()).isGreaterThanOrEqualTo(4);
            assertThat(r.readStaleness()).isNull();
            assertThat(heard).containsExactlyInAnyOrder(
                    "failing write: its table is not set up: could not reach HAProxy write port at " + host + ":" + write
                            + " within 1000 ms: Connection refused",
                    "failing read: could not reach HAProxy read port at " + host + ":" + read + " within 1000 ms: Connection refused");
        }
        assertThat(probeThreads()).isEmpty();
    }

    @Test
    void close_returns_within_a_second_while_the_paths_hang() throws Exception {
        try (ServerSocket write = silent(23496); ServerSocket read = silent(23497)) {
            List<Socket> accepted = new CopyOnWriteArrayList<>();
            accept(write, accepted);
            accept(read, accepted);
            ClientProbe probe = probe(cluster(23496, 23497), Duration.ofMillis(100));
            probe.start();
            Thread.sleep(200);

            long started = System.nanoTime();
            probe.close();
            Duration took = Duration.ofNanos(System.nanoTime() - started);

            assertThat(took).isLessThan(Duration.ofSeconds(1));
            assertThat(accepted).hasSizeGreaterThanOrEqualTo(2);
            for (Socket s : accepted) {
                s.close();
            }
        }
        assertThat(probeThreads()).isEmpty();
    }

    @Test
    void a_missing_secret_fails_start_in_one_line() throws Exception {
        LoadedCluster cluster = cluster(23498, 23499);
        Files.delete(dir.resolve("app.password"));

        try (ClientProbe probe = probe(cluster, Duration.ofMillis(100))) {
            assertThatThrownBy(probe::start).isInstanceOf(ConnectError.class)
                    .hasMessage("secret app not found: file " + dir.resolve("app.password") + " does not exist");
        }
        assertThat(probeThreads()).isEmpty();
    }

    private ClientProbe probe(LoadedCluster cluster, Duration interval) {
        return new ClientProbe(cluster, new SecretResolver(cluster, Map.of()),
                new ClientProbe.Options(ClientProbe.Via.haproxy, interval, Duration.ofSeconds(1), 99.9, "test"), listener, Clock.systemUTC());
    }

    private LoadedCluster cluster(int writePort, int readPort) throws IOException {
        String yaml = TestClusters.minimal(dir).replace("  host: 10.1.0.10\n",
                "  host: " + host + "\n  write_port: " + writePort + "\n  read_port: " + readPort + "\n");
        Path file = dir.resolve("cluster.yaml");
        Files.writeString(file, yaml);
        return new ClusterFileLoader(Map.of()).load(file);
    }

    /** A listener that accepts and never speaks: a path where every login and request hangs. */
    private ServerSocket silent(int port) throws IOException {
        return new ServerSocket(port, 50, InetAddress.getByName(host));
    }

    private static void accept(ServerSocket listener, List<Socket> accepted) {
        Thread t = new Thread(() -> {
            try {
                while (true) {
                    accepted.add(listener.accept());
                }
            } catch (IOException closed) {
                // the test is over
            }
        });
        t.setDaemon(true);
        t.start();
    }

    private static List<String> probeThreads() throws InterruptedException {
        Thread.sleep(50);
        return Thread.getAllStackTraces().keySet().stream().map(Thread::getName).filter(n -> n.startsWith("probe-")).toList();
    }
}
