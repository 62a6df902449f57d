package io.connectha.pg;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ScramVerifierTest {

    @Test
    void a_verifier_matches_its_password_only() {
        String v = ScramVerifier.create("s3cret-pw");
        assertThat(v).matches("SCRAM-SHA-256\\$4096:[A-Za-z0-9+/=]+\\$[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+");
        assertThat(ScramVerifier.matches(v, "s3cret-pw")).isTrue();
        assertThat(ScramVerifier.matches(v, "other")).isFalse();
        assertThat(ScramVerifier.matches("md5abc", "s3cret-pw")).isFalse();
    }

    @Test
    void each_verifier_has_its_own_salt() {
        assertThat(ScramVerifier.create("same")).isNotEqualTo(ScramVerifier.create("same"));
    }
}
