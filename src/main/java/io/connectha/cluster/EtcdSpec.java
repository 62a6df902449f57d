package io.connectha.cluster;

import java.util.List;

/**
 * The etcd cluster Patroni keeps its state in (v3 API).
 *
 * @param tls present when etcd's client URLs are https (with a CA, and a client certificate if etcd asks for one)
 */
public record EtcdSpec(List<EtcdMemberSpec> members, String dataDirRoot, TlsSpec tls) {

    static final EtcdSpec EMPTY = new EtcdSpec(null, null, null);

    EtcdSpec withDefaults() {
        return new EtcdSpec(members == null ? List.of()
                : members.stream().map(m -> m == null ? null : m.withDefaults()).toList(),
                dataDirRoot == null ? "/var/lib/etcd" : dataDirRoot, tls);
    }

    EtcdSpec resolvedAgainst(java.nio.file.Path clusterFile) {
        return tls == null ? this : new EtcdSpec(members, dataDirRoot, tls.resolvedAgainst(clusterFile));
    }

    /** Client URLs, {@code http://host:port}, or https when {@link #tls()} is set. */
    public List<String> endpoints() {
        return members.stream().map(this::clientUrl).toList();
    }

    /** The member's client URL, https when {@link #tls()} is set. */
    public String clientUrl(EtcdMemberSpec member) {
        return (tls == null ? "http://" : "https://") + member.host() + ":" + member.clientPort();
    }

    public record EtcdMemberSpec(String name, String host, Integer clientPort, Integer peerPort) {
        EtcdMemberSpec withDefaults() {
            return new EtcdMemberSpec(name, host, clientPort == null ? 2379 : clientPort,
                    peerPort == null ? 2380 : peerPort);
        }

        /** The plain-http client URL, as connect's own generated etcd listens; {@link EtcdSpec#clientUrl} honours TLS. */
        public String clientUrl() {
            return "http://" + host + ":" + clientPort;
        }

        public String peerUrl() {
            return "http://" + host + ":" + peerPort;
        }
    }
}
