package io.connectha.discover;

import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class DiscoveredFileTest {

    private static DiscoveryReport report(String content) {
        return new DiscoveryReport(null, null, content, List.of(), List.of(), List.of(), List.of(), List.of());
    }

    @Test
    void the_header_names_the_sources_in_option_order_and_no_time() {
        Map<String, Object> file = new LinkedHashMap<>();
        file.put("name", "orders");
        file.put("members", List.of(Map.of("name", "a")));
        String text = DiscoveredFile.render(List.of("--patroni-config /etc/patroni/a.yml", "--etcd http://10.0.0.5:2379"), file);
        assertThat(text).isEqualTo("""
                # Discovered by `connect ha discover` from a running cluster, from:
                #   --patroni-config /etc/patroni/a.yml
                #   --etcd http://10.0.0.5:2379
                # It says where things are; how Patroni runs (its live /config, roles, lag) is read live by every command.
                # No password is in this file: the secrets section says where each one is read from.
                name: orders
                members:
                  - name: a
                """);
    }

    @Test
    void written_atomically_with_mode_0644_then_left_alone_when_unchanged(@TempDir Path tmp) throws IOException {
        Path target = tmp.resolve("sub/cluster.yaml");
        DiscoveryReport first = DiscoveredFile.write(report("name: a\n"), target);
        assertThat(first.action()).isEqualTo("created");
        assertThat(Files.readString(target)).isEqualTo("name: a\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(target))).isEqualTo("rw-r--r--");
        assertThat(DiscoveredFile.existing(target, "name: a\n")).isEqualTo(DiscoveredFile.Existing.same);
        assertThat(DiscoveredFile.existing(target, "name: b\n")).isEqualTo(DiscoveredFile.Existing.different);
        assertThat(DiscoveredFile.write(report("name: a\n"), target).action()).isEqualTo("unchanged");
        assertThat(DiscoveredFile.write(report("name: b\n"), target).action()).isEqualTo("updated");
        assertThat(Files.readString(target)).isEqualTo("name: b\n");
        try (var files = Files.list(target.getParent())) {
            assertThat(files.map(p -> p.getFileName().toString())).as("no temporary file left").containsExactly("cluster.yaml");
        }
    }
}
