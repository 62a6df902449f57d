package io.connectha.cli;

import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;

import static org.assertj.core.api.Assertions.assertThat;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class IoMessageTest {

    @Test
    void a_bare_wrapped_failure_names_the_file_and_the_reason_not_the_class() {
        String line = ErrorHandler.ioMessage(new UncheckedIOException(new AccessDeniedException("/srv/lab/pg1.pid")));
        assertThat(line).isEqualTo("/srv/lab/pg1.pid: permission denied").doesNotContain("Exception");
    }

    @Test
    void connect_s_own_words_keep_and_end_with_the_reason() {
        String line = ErrorHandler.ioMessage(new UncheckedIOException("cannot write passfile /x/pass: /x/pass",
                new AccessDeniedException("/x/pass")));
        assertThat(line).isEqualTo("cannot write passfile /x/pass: permission denied");
    }

    @Test
    void a_reason_the_message_does_not_hold_is_added() {
        String line = ErrorHandler.ioMessage(new UncheckedIOException("cannot copy the config",
                new FileSystemException("/x", null, "Read-only file system")));
        assertThat(line).isEqualTo("cannot copy the config: read-only file system");
    }

    @Test
    void a_failure_without_a_file_gives_the_reason_alone() {
        assertThat(ErrorHandler.ioMessage(new UncheckedIOException(new IOException("Broken pipe")))).isEqualTo("broken pipe");
    }
}
