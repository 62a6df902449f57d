package io.connectha.cluster;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class PlaceholdersTest {

    @ParameterizedTest
    @ValueSource(strings = {"CHANGE_ME", "changeme", "Change-Me", "<password>", "${DB_PASSWORD}", "xxxx", "password",
            "secret", "TODO", "", "  "})
    void recognises_template_values(String value) {
        assertThat(Placeholders.isPlaceholder(value)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"example-only-app-5d7e", "correct horse battery staple", "Zr8#kq1!vP"})
    void lets_real_passwords_through(String value) {
        assertThat(Placeholders.isPlaceholder(value)).isFalse();
    }
}
