package io.connectha.lab;

import io.connectha.error.ConnectError;

import java.nio.file.Path;

/**
 * How to build a lab.
 *
 * @param portBase every port is {@code portBase + offset}; see {@link LabLayout}
 * @param profile  {@code fast}: short Patroni timings and tight HAProxy checks, for drills; {@code default}: Patroni's defaults
 * @param plain    no etcd, Patroni or HAProxy: a primary and a hot standby with streaming replication, PgBouncer on the primary
 * @param network  loopback: every host an address on lo; namespaces: every host a network namespace of its own
 * @param subnet   the namespaces' addresses (namespaces only; loopback labs ignore it)
 */
public record LabOptions(Path dir, int members, int etcdMembers, int portBase, Profile profile, boolean synchronous, boolean plain,
                         Network network, LabSubnet subnet) {

    public enum Profile { fast, default_ }

    public enum Network { loopback, namespaces }

    public static final int DEFAULT_PORT_BASE = 20000;

    /** A lab with Patroni. */
    public LabOptions(Path dir, int members, int etcdMembers, int portBase, Profile profile, boolean synchronous) {
        this(dir, members, etcdMembers, portBase, profile, synchronous, false);
    }

    /** A lab on loopback. */
    public LabOptions(Path dir, int members, int etcdMembers, int portBase, Profile profile, boolean synchronous, boolean plain) {
        this(dir, members, etcdMembers, portBase, profile, synchronous, plain, Network.loopback, LabSubnet.DEFAULT);
    }

    public boolean namespaces() {
        return network == Network.namespaces;
    }

    public LabOptions {
        dir = dir.toAbsolutePath().normalize();
        if (members < 1 || members > 9) {
            throw ConnectError.invalidInput("--members must be between 1 and 9, got " + members);
        }
        if (plain && members != 2) {
            throw ConnectError.invalidInput("--plain makes two members (a primary and a standby), not " + members);
        }
        if (network == Network.namespaces && plain) {
            throw ConnectError.invalidInput("--plain runs on loopback only; drop --network namespaces or --plain");
        }
        if (network == Network.namespaces && etcdMembers > members) {
            throw ConnectError.invalidInput("--etcd-members " + etcdMembers + ": in network namespaces each etcd member runs on a member's host, "
                    + "and there are only " + members);
        }
        if (etcdMembers != 1 && etcdMembers != 3) {
            throw ConnectError.invalidInput("--etcd-members must be 1 or 3, got " + etcdMembers);
        }
        // Linux hands out 32768-60999 as ephemeral ports; a listener there can find its port taken
        if (portBase < 1024 || portBase + LabLayout.PORT_SPAN >= 32768) {
            throw ConnectError.invalidInput("--port-base must be between 1024 and " + (32767 - LabLayout.PORT_SPAN)
                    + " so that every lab port stays below the ephemeral range (32768-60999), got " + portBase);
        }
    }
}
