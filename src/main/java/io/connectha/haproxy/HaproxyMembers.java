package io.connectha.haproxy;

import io.connectha.cluster.MemberSpec;

import java.util.List;
import java.util.Optional;

/**
 * Which member an HAProxy server is. A hand-written haproxy.cfg names its servers freely
 * ({@code pg_node1} for member db-a) and members may share a host on different ports, so a server
 * is its address and port ({@code addr} in {@code show stat}), never its name or its host alone.
 * The name is the answer only when HAProxy gave no address.
 */
public final class HaproxyMembers {

    private HaproxyMembers() {
    }

    public static Optional<MemberSpec> memberOf(HaproxyServer server, List<MemberSpec> members) {
        if (server.address() != null && !server.address().isEmpty()) {
            String address = normalize(server.address());
            return members.stream().filter(m -> normalize(m.address()).equals(address)).findFirst();
        }
        return members.stream().filter(m -> m.name().equals(server.server())).findFirst();
    }

    /** The servers with the member at each one's address filled in. */
    public static List<HaproxyServer> named(List<HaproxyServer> servers, List<MemberSpec> members) {
        return servers.stream().map(s -> s.withMember(memberOf(s, members).map(MemberSpec::name).orElse(null))).toList();
    }

    /** The member at a PostgreSQL address (host:port, as inet_server_addr() and inet_server_port() give it), or the address. */
    public static String memberAt(String address, List<MemberSpec> members) {
        String wanted = normalize(address);
        return members.stream().filter(m -> normalize(m.address()).equals(wanted)).map(MemberSpec::name).findFirst().orElse(address);
    }

    /** IPv6 hosts come bracketed from some sources and bare from others. */
    static String normalize(String hostPort) {
        return hostPort.replace("[", "").replace("]", "").toLowerCase(java.util.Locale.ROOT);
    }
}
