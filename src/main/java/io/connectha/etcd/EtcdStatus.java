package io.connectha.etcd;

import java.util.List;

/**
 * {@code etcd status}: every endpoint of the cluster file, the raft leader, and Patroni's leader key.
 *
 * @param raftLeader    the member the answering endpoints follow, by name; null when none has a leader
 * @param patroniLeader null when no endpoint answered, so the key could not be read
 */
public record EtcdStatus(List<EtcdEndpointStatus> endpoints, String raftLeader, PatroniLeaderKey patroniLeader) {

    public List<EtcdEndpointStatus> unreachable() {
        return endpoints.stream().filter(e -> !e.reachable()).toList();
    }

    public boolean hasRaftLeader() {
        return raftLeader != null;
    }

    public boolean hasPatroniLeader() {
        return patroniLeader != null && patroniLeader.held();
    }
}
