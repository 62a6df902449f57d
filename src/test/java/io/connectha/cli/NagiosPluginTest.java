package io.connectha.cli;

import io.connectha.support.CommandRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** A check that cannot measure says UNKNOWN, with exit 3, on one line on stdout, whatever went wrong. */
class NagiosPluginTest {

    @Test
    void a_bad_option_is_unknown(@TempDir Path dir) {
        CommandRun run = CommandRun.of("ha", "lag", "check", "--no-such");
        assertThat(run.exitCode()).isEqualTo(3);
        assertThat(run.out().strip()).isEqualTo("REPLICATION LAG UNKNOWN - unknown option '--no-such' for 'connect ha lag check'");
    }

    @Test
    void a_bad_threshold_or_missing_cluster_file_is_unknown(@TempDir Path dir) {
        CommandRun size = CommandRun.of("ha", "-c", dir.resolve("none.yaml").toString(), "slots", "check", "--warning", "lots");
        assertThat(size.exitCode()).isEqualTo(3);
        // the value is refused as the arguments are read, before the cluster file is looked for
        assertThat(size.out().strip()).isEqualTo("REPLICATION SLOTS UNKNOWN - Invalid value for option '--warning': 'lots' is not a size");
        assertThat(size.err()).doesNotContain("\tat ");
        CommandRun missing = CommandRun.of("ha", "-c", dir.resolve("none.yaml").toString(), "slots", "check", "--warning", "1GB");
        assertThat(missing.exitCode()).isEqualTo(3);
        assertThat(missing.out()).startsWith("REPLICATION SLOTS UNKNOWN - ").contains("no such cluster file");
    }
}
