package io.connectha.etcd;

/**
 * Patroni's leader lock: who holds it, and how long its lease has left. Patroni renews the lease
 * every loop; if the leader stops renewing, the key vanishes when the lease runs out and the
 * replicas race to take it.
 *
 * @param holder the member name in the key, null when no one holds it
 * @param lease  null when no one holds it
 */
public record PatroniLeaderKey(String key, String holder, EtcdLease lease) {

    public boolean held() {
        return holder != null;
    }
}
