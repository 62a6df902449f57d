package io.connectha.cluster;

import java.util.List;

/** The etcd cluster Patroni keeps its state in (v3 API). */
public record EtcdSpec(List<EtcdMemberSpec> members, String dataDirRoot) {

    static final EtcdSpec EMPTY = new EtcdSpec(null, null);

    EtcdSpec withDefaults() {
        return new EtcdSpec(members == null ? List.of()
                : members.stream().map(m -> m == null ? null : m.withDefaults()).toList(),
                dataDirRoot == null ? "/var/lib/etcd" : dataDirRoot);
    }

    /** Client URLs, {@code http://host:port}. */
    public List<String> endpoints() {
        return members.stream().map(EtcdMemberSpec::clientUrl).toList();
    }

    public record EtcdMemberSpec(String name, String host, Integer clientPort, Integer peerPort) {
        EtcdMemberSpec withDefaults() {
            return new EtcdMemberSpec(name, host, clientPort == null ? 2379 : clientPort,
                    peerPort == null ? 2380 : peerPort);
        }

        public String clientUrl() {
            return "http://" + host + ":" + clientPort;
        }

        public String peerUrl() {
            return "http://" + host + ":" + peerPort;
        }
    }
}
