package io.connectha.etcd;

/**
 * What one endpoint of the cluster file says about itself. When it did not answer, only
 * {@code endpoint}, {@code reachable} and {@code error} are set.
 *
 * @param endpoint     client URL from the cluster file
 * @param error        why it did not answer: "connection refused", "no answer" (by the deadline), ...
 * @param member       the member's name, per etcd's member list
 * @param dbSizeBytes  size of the backend database file, free pages included
 * @param leader       the raft leader this member follows (or is), by name
 */
public record EtcdEndpointStatus(
        String endpoint,
        boolean reachable,
        String error,
        String memberId,
        String member,
        String version,
        Long dbSizeBytes,
        String leaderId,
        String leader,
        Long raftTerm,
        Long raftIndex) {

    public static EtcdEndpointStatus unreachable(String endpoint, String error) {
        return new EtcdEndpointStatus(endpoint, false, error, null, null, null, null, null, null, null, null);
    }

    /** {@code host:port}, as error messages name it. */
    public String address() {
        return addressOf(endpoint);
    }

    static String addressOf(String clientUrl) {
        java.net.URI uri = java.net.URI.create(clientUrl);
        return uri.getHost() + ":" + uri.getPort();
    }
}
