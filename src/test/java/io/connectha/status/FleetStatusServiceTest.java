package io.connectha.status;

import io.connectha.cluster.ClusterFileLoader;
import io.connectha.cluster.LoadedCluster;
import io.connectha.support.LoopbackClusters;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * status --all's gathering against real sockets: clusters nobody answers for, clusters whose every port
 * accepts and never answers, a file that does not load; all within one status deadline.
 */
class FleetStatusServiceTest {

    @TempDir
    Path tmp;

    private final List<ServerSocket> silent = new ArrayList<>();
    private final ClusterFileLoader loader = new ClusterFileLoader(Map.of());

    @AfterEach
    void close() throws IOException {
        for (ServerSocket s : silent) {
            s.close();
        }
    }

    /** A port whose connections the kernel completes into the backlog, and nothing ever reads or writes. */
    private int silentPort() {
        try {
            ServerSocket s = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            silent.add(s);
            return s.getLocalPort();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void hung_dead_and_broken_clusters_are_one_row_each_within_one_status_deadline() throws IOException {
        List<FleetStatusService.Target> targets = new ArrayList<>();
        targets.add(new FleetStatusService.Target("dead", LoopbackClusters.write(tmp.resolve("dead"), "dead", LoopbackClusters::deadPort), true));
        for (int i = 1; i <= 4; i++) {
            targets.add(new FleetStatusService.Target("hung" + i, LoopbackClusters.write(tmp.resolve("hung" + i), "hung" + i, this::silentPort), false));
        }
        Path broken = tmp.resolve("broken.yaml");
        Files.writeString(broken, "name: broken\nmembers: 3\n");
        targets.add(new FleetStatusService.Target("broken", broken, false));

        Duration connect = Duration.ofSeconds(1);
        Duration read = Duration.ofSeconds(2);
        FleetStatus fleet = new FleetStatusService(targets, loader::load, connect, read, null).check();

        Duration deadline = connect.plus(read).plusMillis(500);
        assertThat(fleet.deadline()).isEqualTo(deadline);
        // four clusters that each wait out their read timeouts, answered together: within one deadline (and reading the files), not four
        assertThat(fleet.took()).isBetween(read, deadline.plusMillis(1500));
        assertThat(fleet.clusters()).extracting(FleetStatus.Cluster::context).containsExactly("dead", "hung1", "hung2", "hung3", "hung4", "broken");

        FleetStatus.Cluster dead = fleet.clusters().get(0);
        assertThat(dead.current()).isTrue();
        assertThat(dead.cluster()).isEqualTo("dead");
        assertThat(dead.verdict()).isEqualTo(FleetStatus.Verdict.unreachable);
        assertThat(dead.leader()).isNull();
        assertThat(dead.membersUp()).isZero();
        assertThat(dead.membersTotal()).isEqualTo(2);
        assertThat(dead.worstProblem().code()).as("etcd first: the cause before its symptoms").isEqualTo("etcd_unreachable");
        assertThat(dead.problems()).isGreaterThan(3);

        for (FleetStatus.Cluster hung : fleet.clusters().subList(1, 5)) {
            assertThat(hung.verdict()).as(hung.context()).isEqualTo(FleetStatus.Verdict.unreachable);
            assertThat(hung.membersUp()).isZero();
            assertThat(hung.worstProblem().code()).isEqualTo("etcd_unreachable");
            assertThat(hung.took()).as(hung.context()).isGreaterThanOrEqualTo(read);
        }

        FleetStatus.Cluster bad = fleet.clusters().get(5);
        assertThat(bad.verdict()).isEqualTo(FleetStatus.Verdict.cluster_file_invalid);
        assertThat(bad.cluster()).isNull();
        assertThat(bad.membersTotal()).isNull();
        assertThat(bad.problems()).isEqualTo(1);
        assertThat(bad.worstProblem().code()).isEqualTo("cluster_file_invalid");
        assertThat(bad.worstProblem().message()).startsWith(broken + ":2:10: members: expected a list");
    }

    @Test
    void a_cluster_file_not_read_within_a_deadline_is_a_timeout_row_and_the_others_keep_theirs() throws IOException {
        Path stuck = LoopbackClusters.write(tmp.resolve("stuck"), "stuck", LoopbackClusters::deadPort);
        Path dead = LoopbackClusters.write(tmp.resolve("dead"), "dead", LoopbackClusters::deadPort);
        // only here does reading a file block (as on a hung network mount): gathering itself keeps its deadline
        Function<Path, LoadedCluster> slowForStuck = file -> {
            LoadedCluster c = loader.load(file);
            if (file.equals(stuck)) {
                try {
                    Thread.sleep(30_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return c;
        };
        Duration connect = Duration.ofSeconds(1);
        Duration read = Duration.ofSeconds(1);
        FleetStatus fleet = new FleetStatusService(List.of(new FleetStatusService.Target("stuck", stuck, false),
                new FleetStatusService.Target("dead", dead, false)), slowForStuck, connect, read, null, Duration.ofSeconds(4)).check();
        // the stuck file gets the time allowed for reading files, then the others one deadline: never the 30 s it blocks
        assertThat(fleet.took()).isLessThan(Duration.ofSeconds(4).plus(fleet.deadline()).plusMillis(1500));
        FleetStatus.Cluster row = fleet.clusters().get(0);
        assertThat(row.verdict()).isEqualTo(FleetStatus.Verdict.timeout);
        assertThat(row.worstProblem().code()).isEqualTo("status_timeout");
        assertThat(row.worstProblem().message()).isEqualTo("cluster file not read within 4000 ms");
        assertThat(fleet.clusters().get(1).verdict()).as(fleet.clusters().get(1).toString()).isEqualTo(FleetStatus.Verdict.unreachable);
        assertThat(fleet.clusters().get(1).worstProblem().code()).isEqualTo("etcd_unreachable");
    }
}
