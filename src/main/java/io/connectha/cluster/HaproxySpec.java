package io.connectha.cluster;

/**
 * HAProxy in front of the members: a write port that reaches the leader and a read port that
 * balances over replicas, both decided by Patroni's REST health checks.
 *
 * @param host           the address HAProxy binds its write and read ports to and clients connect to
 * @param checkInterval  time between health checks ({@code inter}), such as {@code 1s} or {@code 500ms}
 * @param replicaMaxLag  when set, the read port only uses replicas within this lag ({@code /replica?lag=})
 * @param writeBackend   the name of HAProxy's backend that reaches the leader (default {@code write})
 * @param readBackend    the name of HAProxy's backend that balances over the replicas (default {@code read})
 */
public record HaproxySpec(
        String host,
        Integer writePort,
        Integer readPort,
        String statsHost,
        Integer statsPort,
        String statsSocket,
        String statsUser,
        String checkInterval,
        Integer fall,
        Integer rise,
        ByteSize replicaMaxLag,
        Integer maxconn,
        String writeBackend,
        String readBackend) {

    static final HaproxySpec EMPTY = new HaproxySpec(null, null, null, null, null, null, null, null, null, null, null, null, null, null);

    HaproxySpec withDefaults(String clusterName) {
        return new HaproxySpec(host == null ? "127.0.0.1" : host,
                writePort == null ? 5000 : writePort,
                readPort == null ? 5001 : readPort,
                statsHost == null ? "127.0.0.1" : statsHost,
                statsPort == null ? 7000 : statsPort,
                statsSocket == null ? "/run/haproxy/" + clusterName + ".sock" : statsSocket,
                statsUser == null ? "stats" : statsUser,
                checkInterval == null ? "1s" : checkInterval,
                fall == null ? 2 : fall,
                rise == null ? 2 : rise,
                replicaMaxLag,
                maxconn == null ? 1000 : maxconn,
                writeBackend == null ? "write" : writeBackend,
                readBackend == null ? "read" : readBackend);
    }

    public String writeAddress() {
        return host + ":" + writePort;
    }

    public String readAddress() {
        return host + ":" + readPort;
    }
}
