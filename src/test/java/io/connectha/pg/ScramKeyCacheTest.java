package io.connectha.pg;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import java.security.Security;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ScramKeyCacheTest {

    @BeforeAll
    static void install() {
        ScramKeyCache.install();
    }

    private static byte[] viaJca(String password, byte[] salt, int iterations) throws Exception {
        return SecretKeyFactory.getInstance(ScramKeyCache.ALGORITHM)
                .generateSecret(new PBEKeySpec(password.toCharArray(), salt, iterations, 256)).getEncoded();
    }

    private static byte[] viaSunJce(String password, byte[] salt, int iterations) throws Exception {
        return SecretKeyFactory.getInstance(ScramKeyCache.ALGORITHM, "SunJCE")
                .generateSecret(new PBEKeySpec(password.toCharArray(), salt, iterations, 256)).getEncoded();
    }

    private static byte[] salt(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    @Test
    void it_is_the_provider_a_scram_client_gets_and_installing_twice_adds_it_once() {
        ScramKeyCache.install();
        assertThat(Security.getProviders()[0].getName()).isEqualTo(ScramKeyCache.NAME);
        assertThat(java.util.Arrays.stream(Security.getProviders()).filter(p -> p.getName().equals(ScramKeyCache.NAME))).hasSize(1);
    }

    @Test
    void keys_are_the_jdks_own_for_every_input() throws Exception {
        java.util.Random random = new java.util.Random(42);
        for (int i = 0; i < 20; i++) {
            byte[] salt = new byte[16];
            random.nextBytes(salt);
            String password = "pw-" + random.nextLong() + (i % 3 == 0 ? "-ünïcødé-€" : "");
            int iterations = 1 + random.nextInt(300);
            assertThat(viaJca(password, salt, iterations)).isEqualTo(viaSunJce(password, salt, iterations));
        }
        // RFC 7677's SCRAM-SHA-256 example: SaltedPassword for "pencil", salt W22ZaJ0SNY7soEsUEjb6gQ==, 4096 rounds
        byte[] rfcSalt = java.util.Base64.getDecoder().decode("W22ZaJ0SNY7soEsUEjb6gQ==");
        assertThat(viaJca("pencil", rfcSalt, 4096)).isEqualTo(viaSunJce("pencil", rfcSalt, 4096));
    }

    @Test
    void the_same_password_salt_and_rounds_are_derived_once() throws Exception {
        int before = ScramKeyCache.DERIVATIONS.get();
        byte[] first = viaJca("same-password", salt("salt-once"), 4096);
        byte[] second = viaJca("same-password", salt("salt-once"), 4096);
        assertThat(second).isEqualTo(first);
        assertThat(ScramKeyCache.DERIVATIONS.get() - before).isEqualTo(1);
    }

    @Test
    void another_password_salt_or_round_count_is_another_key() throws Exception {
        byte[] base = viaJca("pw-a", salt("salt-a"), 100);
        int before = ScramKeyCache.DERIVATIONS.get();
        assertThat(viaJca("pw-b", salt("salt-a"), 100)).isNotEqualTo(base);
        assertThat(viaJca("pw-a", salt("salt-b"), 100)).isNotEqualTo(base);
        assertThat(viaJca("pw-a", salt("salt-a"), 101)).isNotEqualTo(base);
        assertThat(ScramKeyCache.DERIVATIONS.get() - before).isEqualTo(3);
    }

    @Test
    void a_caller_cannot_change_the_kept_key() throws Exception {
        byte[] first = viaJca("pw-mutable", salt("salt-m"), 50);
        java.util.Arrays.fill(first, (byte) 0);
        assertThat(viaJca("pw-mutable", salt("salt-m"), 50)).isEqualTo(viaSunJce("pw-mutable", salt("salt-m"), 50));
    }

    @Test
    void logins_needing_the_same_key_at_once_wait_for_one_derivation() throws Exception {
        int before = ScramKeyCache.DERIVATIONS.get();
        ExecutorService pool = Executors.newFixedThreadPool(5);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<byte[]>> keys = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                keys.add(pool.submit(() -> {
                    start.await();
                    return viaJca("concurrent-pw", salt("salt-c"), 4096);
                }));
            }
            start.countDown();
            byte[] expected = viaSunJce("concurrent-pw", salt("salt-c"), 4096);
            for (Future<byte[]> k : keys) {
                assertThat(k.get()).isEqualTo(expected);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(ScramKeyCache.DERIVATIONS.get() - before).isEqualTo(1);
    }

    @Test
    void a_spec_that_is_not_a_password_is_refused() {
        assertThatThrownBy(() -> SecretKeyFactory.getInstance(ScramKeyCache.ALGORITHM)
                .generateSecret(new java.security.spec.X509EncodedKeySpec(new byte[4])))
                .isInstanceOf(java.security.spec.InvalidKeySpecException.class);
    }
}
