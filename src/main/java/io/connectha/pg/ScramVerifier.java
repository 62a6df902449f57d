package io.connectha.pg;

import org.postgresql.util.PasswordUtil;

import java.security.SecureRandom;
import java.util.Base64;

/**
 * SCRAM-SHA-256 verifiers in PostgreSQL's pg_authid form,
 * {@code SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>}, computed by the JDBC driver.
 */
public final class ScramVerifier {

    private static final int ITERATIONS = 4096;
    private static final int SALT_BYTES = 16;
    private static final SecureRandom RANDOM = new SecureRandom();

    private ScramVerifier() {
    }

    public static String create(String password) {
        byte[] salt = new byte[SALT_BYTES];
        RANDOM.nextBytes(salt);
        return PasswordUtil.encodeScramSha256(password.toCharArray(), ITERATIONS, salt);
    }

    /** True when the verifier was made from this password (recomputed with its own salt and iterations). */
    public static boolean matches(String verifier, String password) {
        try {
            String[] parts = verifier.split("\\$");
            if (parts.length != 3 || !parts[0].equals("SCRAM-SHA-256")) {
                return false;
            }
            String[] iterSalt = parts[1].split(":");
            int iterations = Integer.parseInt(iterSalt[0]);
            byte[] salt = Base64.getDecoder().decode(iterSalt[1]);
            return PasswordUtil.encodeScramSha256(password.toCharArray(), iterations, salt).equals(verifier);
        } catch (RuntimeException e) {
            return false;
        }
    }

    public static boolean isVerifier(String value) {
        return value != null && value.startsWith("SCRAM-SHA-256$");
    }
}
