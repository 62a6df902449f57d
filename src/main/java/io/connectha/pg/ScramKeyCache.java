package io.connectha.pg;

import javax.crypto.SecretKey;
import javax.crypto.SecretKeyFactory;
import javax.crypto.SecretKeyFactorySpi;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.Provider;
import java.security.Security;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.KeySpec;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * SCRAM's salted password, derived once per process for each password, salt and iteration count.
 *
 * <p>A SCRAM-SHA-256 login costs the client a PBKDF2 of 4096 HMAC-SHA-256 rounds: 7 ms, and up to 20 ms
 * while the JIT has not compiled it yet. Every member of a streaming-replication cluster holds the same
 * verifier (pg_authid is replicated), so {@code ha status} would derive the same key for the three
 * members and both HAProxy ports, and {@code ha lag check} for its three members. RFC 5802 (section 5.1)
 * allows a client to keep the derived keys, since the server advertises the same salt again.
 *
 * <p>pgjdbc's SCRAM client asks the JCA for {@value #ALGORITHM}. This provider, first in the JVM's list,
 * answers from memory, and otherwise has the JDK's own implementation derive the key: there is no
 * cryptography here, only memoization. Logins that need the same key at once wait for one derivation.
 * Keys live in this process's memory only, under a SHA-256 of the inputs (the password itself is not
 * kept). On a JDK that accepts only signed providers for {@code javax.crypto}, the JCA skips this one
 * and logins derive every key as before.
 */
public final class ScramKeyCache {

    static final String ALGORITHM = "PBKDF2WithHmacSHA256";
    static final String NAME = "ConnectScramKeyCache";
    /** More distinct keys than any run needs; beyond it the cache starts again (a long dashboard session, rotated passwords). */
    private static final int MAX_KEYS = 32;

    private static final Map<String, FutureTask<byte[]>> KEYS = new ConcurrentHashMap<>();
    /** Derivations actually computed, for tests. */
    static final AtomicInteger DERIVATIONS = new AtomicInteger();

    private ScramKeyCache() {
    }

    /** The JCA face of the cache: one service, the key factory. */
    private static final class JcaProvider extends Provider {

        private static final long serialVersionUID = 1L;

        JcaProvider() {
            super(NAME, "1", "memoizes " + ALGORITHM + " for SCRAM logins; the JDK's own provider derives the keys");
            putService(new Service(this, "SecretKeyFactory", ALGORITHM, Factory.class.getName(), null, null) {
                @Override
                public Object newInstance(Object constructorParameter) {
                    return new Factory();
                }
            });
        }
    }

    /** Puts the cache first in the JVM's provider list, once; later calls do nothing. */
    public static synchronized void install() {
        if (Security.getProvider(NAME) == null) {
            Security.insertProviderAt(new JcaProvider(), 1);
        }
    }

    /** Forgets every key (tests). */
    static void forgetAll() {
        KEYS.clear();
    }

    /** The JDK's own factory for the algorithm: SunJCE by name (so no other provider is loaded), else the first other one. */
    private static SecretKeyFactory jdkFactory() throws NoSuchAlgorithmException {
        Provider sunJce = Security.getProvider("SunJCE");
        if (sunJce != null && sunJce.getService("SecretKeyFactory", ALGORITHM) != null) {
            return SecretKeyFactory.getInstance(ALGORITHM, sunJce);
        }
        for (Provider p : Security.getProviders()) {
            if (!NAME.equals(p.getName()) && p.getService("SecretKeyFactory", ALGORITHM) != null) {
                return SecretKeyFactory.getInstance(ALGORITHM, p);
            }
        }
        throw new NoSuchAlgorithmException(ALGORITHM + " is not available from any other provider");
    }

    static byte[] derive(PBEKeySpec spec) throws GeneralSecurityException {
        String key = cacheKey(spec);
        FutureTask<byte[]> mine = new FutureTask<>(() -> {
            DERIVATIONS.incrementAndGet();
            return jdkFactory().generateSecret(spec).getEncoded();
        });
        FutureTask<byte[]> task = KEYS.putIfAbsent(key, mine);
        if (task == null) {
            if (KEYS.size() > MAX_KEYS) {
                KEYS.keySet().removeIf(k -> !k.equals(key));
            }
            task = mine;
            task.run();
        }
        try {
            return task.get().clone();
        } catch (ExecutionException e) {
            KEYS.remove(key, task);
            if (e.getCause() instanceof GeneralSecurityException g) {
                throw g;
            }
            throw new InvalidKeySpecException("cannot derive the key", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InvalidKeySpecException("interrupted while the key was derived", e);
        }
    }

    /** A SHA-256 of everything the derived key depends on; the password's bytes are wiped after use. */
    private static String cacheKey(PBEKeySpec spec) throws NoSuchAlgorithmException {
        char[] password = spec.getPassword();
        ByteBuffer bytes = StandardCharsets.UTF_8.encode(CharBuffer.wrap(password));
        Arrays.fill(password, '\0');
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        sha.update(bytes.duplicate());
        if (bytes.hasArray()) {
            Arrays.fill(bytes.array(), (byte) 0);
        }
        sha.update((byte) 0);
        sha.update(spec.getSalt());
        sha.update(ByteBuffer.allocate(8).putInt(spec.getIterationCount()).putInt(spec.getKeyLength()).flip());
        return HexFormat.of().formatHex(sha.digest());
    }

    /** The factory pgjdbc's SCRAM client gets: keys from the cache; everything else as the JDK's factory does it. */
    public static final class Factory extends SecretKeyFactorySpi {

        @Override
        protected SecretKey engineGenerateSecret(KeySpec keySpec) throws InvalidKeySpecException {
            if (!(keySpec instanceof PBEKeySpec spec)) {
                throw new InvalidKeySpecException("a PBEKeySpec is required");
            }
            try {
                byte[] key = derive(spec);
                try {
                    return new SecretKeySpec(key, ALGORITHM);
                } finally {
                    Arrays.fill(key, (byte) 0);
                }
            } catch (InvalidKeySpecException e) {
                throw e;
            } catch (GeneralSecurityException e) {
                throw new InvalidKeySpecException(e.getMessage(), e);
            }
        }

        @Override
        protected KeySpec engineGetKeySpec(SecretKey key, Class<?> keySpec) throws InvalidKeySpecException {
            try {
                return jdkFactory().getKeySpec(key, keySpec);
            } catch (NoSuchAlgorithmException e) {
                throw new InvalidKeySpecException(e.getMessage(), e);
            }
        }

        @Override
        protected SecretKey engineTranslateKey(SecretKey key) throws InvalidKeyException {
            try {
                return jdkFactory().translateKey(key);
            } catch (NoSuchAlgorithmException e) {
                throw new InvalidKeyException(e.getMessage(), e);
            }
        }
    }
}
