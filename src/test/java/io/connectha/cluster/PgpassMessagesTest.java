package io.connectha.cluster;

import io.connectha.error.ConnectError;
import io.connectha.support.TestClusters;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** With PGPASSFILE set, messages about the pgpass file name that file, not ~/.pgpass. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class PgpassMessagesTest {

    @TempDir
    Path dir;

    private SecretResolver resolver(Map<String, String> env) throws IOException {
        Path file = dir.resolve("cluster.yaml");
        Files.writeString(file, TestClusters.minimal(dir).replaceFirst("  app: \\{file: [^}]*}", "  app: {pgpass: true}"));
        return new SecretResolver(new ClusterFileLoader(env).load(file), env);
    }

    @Test
    void a_placeholder_in_the_pgpass_file_names_the_pgpassfile_path() throws IOException {
        Path pgpass = dir.resolve("my.pgpass");
        TestClusters.writeSecret(pgpass, "*:5432:app:app:CHANGE_ME");
        Map<String, String> env = Map.of("PGPASSFILE", pgpass.toString());
        ConnectError e = catchThrowableOfType(ConnectError.class, () -> resolver(env).password(SecretName.app));
        assertThat(e.getMessage()).isEqualTo("secret app from " + pgpass + " is a placeholder password").doesNotContain("~/.pgpass");
    }

    @Test
    void a_pgpassfile_readable_by_its_group_is_refused_by_its_path() throws IOException {
        Path pgpass = dir.resolve("my.pgpass");
        TestClusters.writeSecret(pgpass, "*:5432:app:app:s3cret-value-Xq9");
        Files.setPosixFilePermissions(pgpass, PosixFilePermissions.fromString("rw-r-----"));
        Map<String, String> env = Map.of("PGPASSFILE", pgpass.toString());
        ConnectError e = catchThrowableOfType(ConnectError.class, () -> resolver(env).password(SecretName.app));
        assertThat(e.getMessage()).isEqualTo("secret file " + pgpass + " has mode 0640: readable by its group; it must be 0600 or stricter (chmod 600 " + pgpass + ")")
                .doesNotContain("s3cret");
    }

    @Test
    void a_missing_entry_names_the_pgpassfile_path() throws IOException {
        Path pgpass = dir.resolve("my.pgpass");
        TestClusters.writeSecret(pgpass, "*:5432:other:other:x");
        Map<String, String> env = Map.of("PGPASSFILE", pgpass.toString());
        ConnectError e = catchThrowableOfType(ConnectError.class, () -> resolver(env).password(SecretName.app));
        assertThat(e.getMessage()).isEqualTo("secret app not found: " + pgpass + " has no matching entry");
    }
}
