package io.connectha.error;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class ConnectErrorTest {

    @Test
    void an_io_failure_is_one_line_with_the_reason_in_words() {
        assertThat(ConnectError.io("write", Path.of("/x/y"), new AccessDeniedException("/x/y")).getMessage())
                .isEqualTo("cannot write /x/y: permission denied");
        assertThat(ConnectError.io("write", Path.of("/x/y"), new NoSuchFileException("/x/y")).getMessage())
                .isEqualTo("cannot write /x/y: no such file or directory");
        assertThat(ConnectError.io("write", Path.of("/x/y"), new NotDirectoryException("/x")).getMessage())
                .isEqualTo("cannot write /x/y: not a directory (/x)");
        assertThat(ConnectError.io("write", Path.of("/x/y"), new FileSystemException("/x/y", null, "Read-only file system"))
                .getMessage()).isEqualTo("cannot write /x/y: read-only file system");
        assertThat(ConnectError.io("read", Path.of("/x"), new IOException("Is a directory")).getMessage())
                .isEqualTo("cannot read /x: is a directory");
        assertThat(ConnectError.io("read", Path.of("/x"), new IOException()).getMessage())
                .isEqualTo("cannot read /x: input/output error");
        assertThat(ConnectError.io("read", Path.of("/x"), new IOException()).kind()).isEqualTo(ConnectError.Kind.FAILURE);
    }
}
