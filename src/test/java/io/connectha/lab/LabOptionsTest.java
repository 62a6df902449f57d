package io.connectha.lab;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LabOptionsTest {

    @Test
    void ports_must_stay_below_the_ephemeral_range() {
        assertThatThrownBy(() -> new LabOptions(Path.of("x"), 3, 1, 32740, LabOptions.Profile.fast, false))
                .hasMessageContaining("below the ephemeral range (32768-60999)");
        assertThatThrownBy(() -> new LabOptions(Path.of("x"), 3, 1, 80, LabOptions.Profile.fast, false))
                .hasMessageContaining("--port-base must be between 1024");
    }

    @Test
    void members_and_etcd_members_are_bounded() {
        assertThatThrownBy(() -> new LabOptions(Path.of("x"), 10, 1, 20000, LabOptions.Profile.fast, false)).hasMessageContaining("--members");
        assertThatThrownBy(() -> new LabOptions(Path.of("x"), 3, 2, 20000, LabOptions.Profile.fast, false)).hasMessageContaining("1 or 3");
    }

    @Test
    void a_missing_program_names_its_debian_package_and_the_install_script() {
        assertThatThrownBy(() -> Programs.require("pg_rewind", Path.of("/nonexistent/15/bin")))
                .hasMessage("pg_rewind is not installed (Debian package postgresql-15); run scripts/install-deps.sh");
    }
}
