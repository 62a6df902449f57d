package io.connectha.net;

import io.connectha.cluster.TlsSpec;
import io.connectha.error.ConnectError;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.X509KeyManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.CertPathValidatorException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Reading the PEM files a cluster file names, in the forms openssl writes them, and the words for failures. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class TlsTest {

    @TempDir
    static Path dir;

    @BeforeAll
    static void certificates() throws Exception {
        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=ca", "-keyout", "ca.key", "-out", "ca.crt");
        // the same client certificate's key in each form operators have it
        openssl("genrsa", "-traditional", "-out", "rsa-pkcs1.key", "2048");
        openssl("pkey", "-in", "rsa-pkcs1.key", "-out", "rsa-pkcs8.key");
        openssl("req", "-new", "-x509", "-key", "rsa-pkcs1.key", "-subj", "/CN=client", "-days", "1", "-out", "rsa.crt");
        openssl("ecparam", "-name", "prime256v1", "-genkey", "-out", "ec-sec1.key");
        openssl("req", "-new", "-x509", "-key", "ec-sec1.key", "-subj", "/CN=client-ec", "-days", "1", "-out", "ec.crt");
        openssl("pkey", "-in", "rsa-pkcs1.key", "-aes256", "-passout", "pass:secret", "-out", "encrypted.key");
    }

    @Test
    void reads_a_pkcs1_rsa_key_a_pkcs8_key_and_a_sec1_ec_key() throws Exception {
        assertThat(Files.readString(dir.resolve("rsa-pkcs1.key"))).startsWith("-----BEGIN RSA PRIVATE KEY-----");
        assertThat(Files.readString(dir.resolve("rsa-pkcs8.key"))).startsWith("-----BEGIN PRIVATE KEY-----");
        assertThat(Files.readString(dir.resolve("ec-sec1.key"))).startsWith("-----BEGIN EC PARAMETERS-----");
        assertThat(clientKey("rsa.crt", "rsa-pkcs1.key").getAlgorithm()).isEqualTo("RSA");
        assertThat(clientKey("rsa.crt", "rsa-pkcs8.key").getAlgorithm()).isEqualTo("RSA");
        assertThat(clientKey("ec.crt", "ec-sec1.key").getAlgorithm()).isEqualTo("EC");
        assertThat(clientKey("rsa.crt", "rsa-pkcs1.key").getEncoded()).isEqualTo(clientKey("rsa.crt", "rsa-pkcs8.key").getEncoded());
    }

    @Test
    void trusts_the_ca_file_and_nothing_else() throws Exception {
        Tls tls = Tls.load(new TlsSpec(file("ca.crt"), null, null), "etcd.tls");
        assertThat(tls.trustManager().getAcceptedIssuers()).hasSize(1);
        assertThat(tls.trustManager().getAcceptedIssuers()[0].getSubjectX500Principal().getName()).isEqualTo("CN=ca");
        assertThat(tls.keyManagerFactory()).isNull();
    }

    @Test
    void a_missing_ca_file_names_the_field() {
        assertThatThrownBy(() -> Tls.load(new TlsSpec(file("nowhere.crt"), null, null), "patroni.rest_api_tls"))
                .isInstanceOf(ConnectError.class)
                .hasMessage("patroni.rest_api_tls.ca_file: cannot read " + file("nowhere.crt") + ": no such file or directory")
                .extracting(e -> ((ConnectError) e).kind()).isEqualTo(ConnectError.Kind.INVALID_INPUT);
    }

    @Test
    void a_key_that_is_no_key_names_the_forms_it_may_take() {
        assertThatThrownBy(() -> Tls.load(new TlsSpec(file("ca.crt"), file("rsa.crt"), file("rsa.crt")), "etcd.tls"))
                .hasMessage("etcd.tls.key_file: " + file("rsa.crt") + " is not a PEM private key (BEGIN PRIVATE KEY, "
                        + "BEGIN RSA PRIVATE KEY or BEGIN EC PRIVATE KEY)");
    }

    @Test
    void an_encrypted_key_is_refused_with_the_way_out() {
        assertThatThrownBy(() -> Tls.load(new TlsSpec(file("ca.crt"), file("rsa.crt"), file("encrypted.key")), "etcd.tls"))
                .hasMessageStartingWith("etcd.tls.key_file: " + file("encrypted.key") + " is encrypted; ");
    }

    @Test
    void a_ca_file_that_is_no_certificate_says_so() {
        assertThatThrownBy(() -> Tls.load(new TlsSpec(file("rsa-pkcs8.key"), null, null), "etcd.tls"))
                .hasMessage("etcd.tls.ca_file: " + file("rsa-pkcs8.key") + " is not a PEM certificate (BEGIN CERTIFICATE)");
    }

    @Test
    void handshake_failures_in_words_naming_the_file() {
        Tls tls = Tls.load(new TlsSpec(file("ca.crt"), null, null), "etcd.tls");
        SSLHandshakeException untrusted = new SSLHandshakeException("PKIX path building failed");
        untrusted.initCause(new CertPathValidatorException("signature check failed"));
        assertThat(tls.reason(untrusted)).isEqualTo("its certificate is not signed by the CA in " + file("ca.crt"));
        assertThat(tls.reason(new SSLHandshakeException("Received fatal alert: certificate_required")))
                .isEqualTo("it asks for a client certificate, and none is set (cert_file and key_file)");
        assertThat(tls.reason(new javax.net.ssl.SSLPeerUnverifiedException("Hostname 127.0.0.2 not verified:")))
                .isEqualTo("its certificate does not name the address connect used (hostname verification)");
        assertThat(tls.reason(new java.net.ConnectException("Connection refused"))).isNull();
    }

    private static PrivateKey clientKey(String cert, String key) throws Exception {
        Tls tls = Tls.load(new TlsSpec(file("ca.crt"), file(cert), file(key)), "etcd.tls");
        X509KeyManager manager = (X509KeyManager) tls.keyManagerFactory().getKeyManagers()[0];
        return manager.getPrivateKey("client");
    }

    private static String file(String name) {
        return dir.resolve(name).toString();
    }

    private static void openssl(String... args) throws IOException, InterruptedException {
        String[] command = new String[args.length + 1];
        command[0] = "openssl";
        System.arraycopy(args, 0, command, 1, args.length);
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", command)).isZero();
    }
}
