package io.connectha.check;

import io.connectha.error.ConnectError;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class CheckStateFileTest {

    @Test
    void a_missing_file_is_the_first_run_and_a_written_one_reads_back_with_mode_0600(@TempDir Path dir) throws Exception {
        CheckStateFile file = new CheckStateFile(dir.resolve("sub/state.json"));
        assertThat(file.read("lab")).isEqualTo(CheckState.none("lab"));
        CheckState s = new CheckState("lab", 4, "abc", Map.of("loop_wait", "10", "postgresql.parameters.work_mem", "4MB"));
        file.write(s, Instant.parse("2026-12-05T10:00:00Z"));
        assertThat(file.read("lab")).isEqualTo(s);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("sub/state.json")))).isEqualTo("rw-------");
        assertThat(Files.readString(dir.resolve("sub/state.json"))).contains("\"kind\" : \"connect-check-state\"", "\"value\" : 4");
        // no temporary file is left beside it
        try (var files = Files.list(dir.resolve("sub"))) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("state.json");
        }
    }

    @Test
    void a_file_that_is_not_ours_or_damaged_or_of_another_cluster_is_refused_in_one_line(@TempDir Path dir) throws Exception {
        Path p = dir.resolve("state.json");
        CheckStateFile file = new CheckStateFile(p);
        Files.writeString(p, "not json {");
        assertThatThrownBy(() -> file.read("lab")).isInstanceOf(ConnectError.class)
                .hasMessage("state file " + p + " is not connect's check state (it is not JSON); give a new path or remove the file");
        Files.writeString(p, "{\"timeline\": 3}");
        assertThatThrownBy(() -> file.read("lab")).hasMessageContaining("it has no \"kind\": \"connect-check-state\"");
        Files.writeString(p, "{\"kind\": \"connect-check-state\", \"version\": 1, \"cluster\": \"lab\", \"timeline\": {\"value\": \"x\"}}");
        assertThatThrownBy(() -> file.read("lab")).hasMessageContaining("its timeline or config entry is damaged");
        Files.writeString(p, "{\"kind\": \"connect-check-state\", \"version\": 1, \"cluster\": \"prod\"}");
        assertThatThrownBy(() -> file.read("lab")).hasMessage("state file " + p + " is for cluster 'prod', not 'lab': give each cluster its own --state-file");
    }
}
