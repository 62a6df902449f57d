package io.connectha.cluster;

import io.connectha.error.ConnectError;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What cannot be a cluster file is refused before a byte of it is read: exit 2 (invalid input), one line naming it. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ClusterFileRefusalTest {

    @TempDir
    Path dir;

    private static ClusterFileLoader loader(Map<String, String> env) {
        return new ClusterFileLoader(env);
    }

    @Test
    void a_file_over_1_MiB_is_refused_with_its_size() throws IOException {
        Path huge = dir.resolve("cluster.yaml");
        Files.write(huge, new byte[(int) ClusterFileLoader.MAX_BYTES + 1]);
        assertThatThrownBy(() -> loader(Map.of()).load(huge))
                .isInstanceOf(ConnectError.class)
                .hasMessage(huge + ": is 1048577 bytes; a cluster file is at most 1048576 bytes (1 MiB)")
                .satisfies(e -> assertThat(((ConnectError) e).kind()).isEqualTo(ConnectError.Kind.INVALID_INPUT));
    }

    @Test
    @Timeout(10)
    void a_fifo_is_refused_without_waiting_for_a_writer() throws Exception {
        Path fifo = dir.resolve("cluster.yaml");
        Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
        assertThat(mkfifo.waitFor()).isZero();
        assertThatThrownBy(() -> loader(Map.of()).load(fifo))
                .hasMessage(fifo + ": is not a regular file (a device, FIFO or socket), so not a cluster file");
    }

    @Test
    void dev_zero_is_refused_at_once() {
        assertThatThrownBy(() -> loader(Map.of()).load(Path.of("/dev/zero")))
                .hasMessage("/dev/zero: is not a regular file (a device, FIFO or socket), so not a cluster file");
    }

    @Test
    void a_directory_is_named_as_one() {
        assertThatThrownBy(() -> loader(Map.of()).load(dir))
                .hasMessage(dir + ": is a directory, not a cluster file");
    }

    @Test
    void an_empty_CONNECT_CLUSTER_is_named() {
        assertThatThrownBy(() -> loader(Map.of("CONNECT_CLUSTER", "")).load(Path.of("")))
                .hasMessage("CONNECT_CLUSTER is set but empty; set it to a cluster file, or unset it to use ./cluster.yaml");
        assertThatThrownBy(() -> loader(Map.of()).load(Path.of("")))
                .hasMessage("the cluster file's path is empty; give one with -c FILE");
    }

    @Test
    void a_file_of_exactly_1_MiB_is_read_and_judged_as_YAML() throws IOException {
        Path big = dir.resolve("cluster.yaml");
        byte[] comment = new byte[(int) ClusterFileLoader.MAX_BYTES];
        java.util.Arrays.fill(comment, (byte) ' ');
        comment[0] = '#';
        Files.write(big, comment);
        assertThatThrownBy(() -> loader(Map.of()).load(big)).hasMessageEndingWith("the cluster file is empty");
    }
}
