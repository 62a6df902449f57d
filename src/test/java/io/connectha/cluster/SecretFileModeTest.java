package io.connectha.cluster;

import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class SecretFileModeTest {

    private static String refused(String mode) {
        return SecretResolver.notPrivate(Path.of("/s/pw"), PosixFilePermissions.fromString(mode));
    }

    @Test
    void a_0640_file_is_readable_by_its_group_not_by_others() {
        assertThat(refused("rw-r-----")).isEqualTo("secret file /s/pw has mode 0640: readable by its group; it must be 0600 or stricter (chmod 600 /s/pw)");
    }

    @Test
    void a_0604_file_is_readable_by_others() {
        assertThat(refused("rw----r--")).isEqualTo("secret file /s/pw has mode 0604: readable by others; it must be 0600 or stricter (chmod 600 /s/pw)");
    }

    @Test
    void a_0666_file_says_both_and_writable() {
        assertThat(refused("rw-rw-rw-")).contains("has mode 0666: readable and writable by its group and by others");
    }

    @Test
    void a_0620_file_is_writable_by_its_group() {
        assertThat(refused("rw--w----")).contains("has mode 0620: writable by its group;");
    }

    @Test
    void a_0600_or_0400_file_is_private() {
        assertThat(refused("rw-------")).isNull();
        assertThat(refused("r--------")).isNull();
    }
}
