package io.connectha.lab;

import io.connectha.cluster.ClusterFileLoader;
import io.connectha.cluster.ClusterSpec;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

/** The names and addresses that status, down and the free-port check share, from the cluster file a lab writes. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class LabNamesTest {

    private static ClusterSpec lab(Path dir, int members, int etcd) throws IOException {
        LabOptions options = new LabOptions(dir, members, etcd, 25000, LabOptions.Profile.fast, false);
        Path file = new LabLayout(options.dir()).clusterFile();
        Files.writeString(file, LabClusterFile.render(options));
        return new ClusterFileLoader().load(file).spec();
    }

    @Test
    void the_lab_starts_etcd_then_every_patroni_then_haproxy_and_pgbouncer(@TempDir Path dir) throws IOException {
        assertThat(LabNames.started(lab(dir, 2, 3)))
                .containsExactly("etcd1", "etcd2", "etcd3", "patroni-pg1", "patroni-pg2", "haproxy", "pgbouncer");
    }

    @Test
    void every_address_the_lab_listens_on_is_named_with_the_port_of_the_layout(@TempDir Path dir) throws IOException {
        Map<String, String> listeners = LabNames.listeners(lab(dir, 2, 1));
        assertThat(listeners).containsExactly(
                entry("etcd1", "127.0.0.21:25021"),
                entry("etcd1 (peer)", "127.0.0.21:25031"),
                entry("postgres-pg1", "127.0.0.11:25001"),
                entry("patroni-pg1", "127.0.0.11:25011"),
                entry("postgres-pg2", "127.0.0.12:25002"),
                entry("patroni-pg2", "127.0.0.12:25012"),
                entry("haproxy", "127.0.0.10:25040"),
                entry("haproxy (read)", "127.0.0.10:25041"),
                entry("haproxy (stats)", "127.0.0.1:25042"),
                entry("pgbouncer", "127.0.0.10:25050"));
    }

    @Test
    void only_a_cluster_file_that_lab_up_wrote_marks_a_lab_directory(@TempDir Path dir) {
        LabOptions options = new LabOptions(dir, 1, 1, 25000, LabOptions.Profile.fast, false);
        assertThat(LabClusterFile.isWrittenByLab(LabClusterFile.render(options))).isTrue();
        assertThat(LabClusterFile.isWrittenByLab("name: prod\n# Written by `connect ha lab up`\n")).isFalse();
    }
}
