package io.connectha.discover;

import java.util.LinkedHashSet;
import java.util.Set;

/** A member as the sources describe it; any field may be unknown. */
final class DiscoveredMember {

    final String name;
    String host;
    Integer port;
    String restHost;
    Integer restPort;
    String restScheme;
    String dataDir;
    String role;
    final Set<String> sources = new LinkedHashSet<>();

    DiscoveredMember(String name) {
        this.name = name;
    }

    String address() {
        return host == null || port == null ? null : host + ":" + port;
    }

    boolean isLeader() {
        return role != null && (role.equals("leader") || role.equals("master") || role.equals("primary") || role.equals("standby_leader"));
    }
}
