package io.connectha.haproxy;

import io.connectha.cluster.Problem;

import java.util.List;

/**
 * HAProxy's view of the members, and where its write port really leads.
 *
 * @param source              where the server states were read: {@code socket PATH} or {@code page HOST:PORT}
 * @param writeReaches        the member a connection through the write port landed on (its address if no member has it), or null
 * @param writeReachesPrimary whether that server said {@code pg_is_in_recovery() = false}; null when not reached
 * @param writeReachError     why the write port could not be used, or null
 * @param writeBackend        the write backend's name (haproxy.write_backend)
 * @param readBackend         the read backend's name (haproxy.read_backend)
 * @param backends            every backend HAProxy has
 */
public record HaproxyStatus(String source, String writePort, String readPort, List<HaproxyServer> write, List<HaproxyServer> read,
                            String writeReaches, Boolean writeReachesPrimary, String writeReachError, List<Problem> problems,
                            String writeBackend, String readBackend, List<String> backends) {

    public long upInWrite() {
        return write.stream().filter(HaproxyServer::up).count();
    }

    public boolean healthy() {
        return problems.isEmpty();
    }
}
