package io.connectha.net;

import io.connectha.cluster.TlsSpec;
import io.connectha.error.ConnectError;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import java.util.Locale;

/**
 * The TLS material for one component, read from the PEM files a cluster file names: the CA to trust
 * and, when the component asks for one, a client certificate and its key. The same material serves
 * okhttp (Patroni's REST API, etcd's JSON gateway) and Netty (jetcd), so both read the files alike and
 * a broken file is reported the same way: one line naming the field, exit 2.
 */
public final class Tls {

    private final String field;
    private final TlsSpec spec;
    private final TrustManagerFactory trust;
    private final KeyManagerFactory keys;
    private final SSLContext context;

    private Tls(String field, TlsSpec spec, TrustManagerFactory trust, KeyManagerFactory keys, SSLContext context) {
        this.field = field;
        this.spec = spec;
        this.trust = trust;
        this.keys = keys;
        this.context = context;
    }

    /**
     * Reads the files of {@code spec}; {@code field} is where they are in the cluster file
     * ({@code etcd.tls}), for messages. Null when {@code spec} is null: the component is plain.
     */
    public static Tls load(TlsSpec spec, String field) {
        if (spec == null) {
            return null;
        }
        try {
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            if (spec.caFile() == null) {
                trust.init((KeyStore) null);
            } else {
                KeyStore anchors = emptyStore();
                int i = 0;
                for (Certificate ca : certificates(field + ".ca_file", spec.caFile())) {
                    anchors.setCertificateEntry("ca-" + i++, ca);
                }
                trust.init(anchors);
            }
            KeyManagerFactory keys = null;
            if (spec.certFile() != null && spec.keyFile() != null) {
                Collection<? extends Certificate> chain = certificates(field + ".cert_file", spec.certFile());
                PrivateKey key = privateKey(field + ".key_file", spec.keyFile());
                KeyStore store = emptyStore();
                char[] none = new char[0];
                store.setKeyEntry("client", key, none, chain.toArray(new Certificate[0]));
                keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                try {
                    keys.init(store, none);
                } catch (GeneralSecurityException e) {
                    throw ConnectError.invalidInput(field + ".key_file: " + spec.keyFile()
                            + " is not the key of the certificate in " + spec.certFile());
                }
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys == null ? null : keys.getKeyManagers(), trust.getTrustManagers(), null);
            return new Tls(field, spec, trust, keys, context);
        } catch (GeneralSecurityException e) {
            throw new ConnectError(ConnectError.Kind.FAILURE, field + ": cannot set up TLS: " + e.getMessage(), e);
        }
    }

    private static KeyStore emptyStore() throws GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try {
            store.load(null, null);
        } catch (IOException e) {
            throw new GeneralSecurityException(e);
        }
        return store;
    }

    private static Collection<? extends Certificate> certificates(String field, String file) {
        byte[] pem = read(field, file);
        try (InputStream in = new java.io.ByteArrayInputStream(pem)) {
            Collection<? extends Certificate> certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
            if (certificates.isEmpty()) {
                throw ConnectError.invalidInput(field + ": " + file + " holds no certificate (PEM, BEGIN CERTIFICATE)");
            }
            return certificates;
        } catch (GeneralSecurityException | IOException e) {
            throw ConnectError.invalidInput(field + ": " + file + " is not a PEM certificate (BEGIN CERTIFICATE)");
        }
    }

    /** PKCS#8 ({@code BEGIN PRIVATE KEY}), PKCS#1 RSA ({@code BEGIN RSA PRIVATE KEY}) or SEC1 EC ({@code BEGIN EC PRIVATE KEY}). */
    private static PrivateKey privateKey(String field, String file) {
        byte[] pem = read(field, file);
        try (Reader in = new java.io.InputStreamReader(new java.io.ByteArrayInputStream(pem), StandardCharsets.US_ASCII);
             PEMParser parser = new PEMParser(in)) {
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            // openssl ecparam writes the curve's parameters before the key: skip what is not a key
            for (Object o = parser.readObject(); o != null; o = parser.readObject()) {
                if (o instanceof PEMKeyPair pair) {
                    return converter.getKeyPair(pair).getPrivate();
                }
                if (o instanceof PrivateKeyInfo info) {
                    return converter.getPrivateKey(info);
                }
                if (o instanceof PEMEncryptedKeyPair || o instanceof PKCS8EncryptedPrivateKeyInfo) {
                    throw ConnectError.invalidInput(field + ": " + file + " is encrypted; connect needs the key without a passphrase "
                            + "(openssl pkey -in KEY -out KEY.plain), kept with mode 0600");
                }
            }
        } catch (ConnectError e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            // BouncyCastle's words name its classes; say what the user can act on
        }
        throw ConnectError.invalidInput(field + ": " + file + " is not a PEM private key (BEGIN PRIVATE KEY, "
                + "BEGIN RSA PRIVATE KEY or BEGIN EC PRIVATE KEY)");
    }

    private static byte[] read(String field, String file) {
        try {
            return Files.readAllBytes(Path.of(file));
        } catch (IOException e) {
            throw ConnectError.invalidInput(field + ": cannot read " + file + ": " + ConnectError.ioReason(e));
        }
    }

    public SSLSocketFactory socketFactory() {
        return context.getSocketFactory();
    }

    public X509TrustManager trustManager() {
        for (TrustManager m : trust.getTrustManagers()) {
            if (m instanceof X509TrustManager x) {
                return x;
            }
        }
        throw new IllegalStateException("no X.509 trust manager");
    }

    public TrustManagerFactory trustManagerFactory() {
        return trust;
    }

    /** Null without a client certificate. */
    public KeyManagerFactory keyManagerFactory() {
        return keys;
    }

    /**
     * Why a TLS handshake failed, in words a user can act on, naming the file to look at; null when
     * {@code failure} is no TLS failure. The JDK's and Netty's messages name classes and OIDs.
     */
    public String reason(Throwable failure) {
        return describe(failure, spec.caFile(), spec.certFile(), keys != null, field + ".ca_file");
    }

    /**
     * As {@link #reason}, for a client that reads the files itself (pgjdbc). {@code caField} names the
     * setting to give when no CA file is set.
     */
    public static String describe(Throwable failure, String caFile, String certFile, boolean clientCertificate, String caField) {
        String all = messages(failure);
        if (!isTls(failure, all)) {
            return null;
        }
        if (all.contains("certification path") || all.contains("pkix path") || all.contains("certpath")
                || all.contains("unable to find valid") || all.contains("signature check failed")) {
            return "its certificate is not signed by " + (caFile == null ? "a CA this machine trusts (set " + caField + ")"
                    : "the CA in " + caFile);
        }
        if (all.contains("not verified") || all.contains("no subject alternative") || all.contains("no name matching")) {
            return "its certificate does not name the address connect used (hostname verification)";
        }
        if (all.contains("certificate_required") || all.contains("bad_certificate")
                || (!clientCertificate && all.contains("handshake_failure"))) {
            return clientCertificate ? "it refused the client certificate in " + certFile
                    : "it asks for a client certificate, and none is set (cert_file and key_file)";
        }
        if (all.contains("unknown_ca")) {
            return "it does not trust the client certificate in " + certFile;
        }
        if (all.contains("expired") || all.contains("not yet valid")) {
            return "a certificate is outside its validity dates";
        }
        if (all.contains("unrecognized ssl message") || all.contains("not an ssl/tls record") || all.contains("plaintext connection")) {
            return "it does not speak TLS (is it configured for https?)";
        }
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String first = root.getMessage() == null ? "" : root.getMessage().lines().findFirst().orElse("").strip();
        // the JDK's words may name a class (sun.security...Foo): keep the words, drop the package
        return "TLS handshake failed" + (first.isEmpty() ? "" : ": " + first.replaceAll("([a-z_]+\\.)+([A-Z]\\w*)", "$2"));
    }

    private static boolean isTls(Throwable failure, String all) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof javax.net.ssl.SSLException || t instanceof java.security.cert.CertificateException
                    || t.getClass().getName().startsWith("io.netty.handler.ssl.")) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return all.contains("ssl") && all.contains("handshake");
    }

    private static String messages(Throwable failure) {
        StringBuilder all = new StringBuilder();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            all.append(t.getClass().getName()).append(": ").append(t.getMessage()).append('\n');
            if (t.getCause() == t) {
                break;
            }
        }
        return all.toString().toLowerCase(Locale.ROOT);
    }
}
