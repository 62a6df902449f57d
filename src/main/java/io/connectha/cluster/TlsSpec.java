package io.connectha.cluster;

import java.nio.file.Path;

/**
 * TLS towards one component, in Patroni's terms ({@code cacert}, {@code cert}, {@code key}). Present
 * means the component is reached over https. Paths are relative to the cluster file's directory until
 * the file is loaded; a loaded cluster holds absolute paths.
 *
 * @param caFile   the CA that signed the component's certificate; null: the JVM's trusted CAs
 * @param certFile a client certificate (PEM) for components that ask for one; null: none
 * @param keyFile  the client certificate's private key (PEM, PKCS#8 or PKCS#1)
 */
public record TlsSpec(String caFile, String certFile, String keyFile) {

    TlsSpec resolvedAgainst(Path clusterFile) {
        return new TlsSpec(resolve(clusterFile, caFile), resolve(clusterFile, certFile), resolve(clusterFile, keyFile));
    }

    static String resolve(Path clusterFile, String path) {
        return path == null ? null : SecretResolver.resolvePath(clusterFile, path).toString();
    }
}
