package io.connectha.lab;

import io.connectha.error.ConnectError;

/**
 * The addresses of a lab in network namespaces: an IPv4 range inside 198.18.0.0/15, which RFC 2544 reserves for
 * network tests, so that no lab address can be anybody's real host. Offsets from the range's first address:
 *
 * <pre>
 *   +1        the host namespace's end of the bridge: connect, the drills' clients, the operator
 *   +2        also the host namespace: a client that partitions leave on the leader's side
 *   +10       the proxy host: HAProxy and PgBouncer
 *   +10+i     member host i (i = 1..9): PostgreSQL, Patroni, and etcd member i when there is one
 * </pre>
 */
public record LabSubnet(int base, int prefix) {

    private static final int RESERVED = ip(198, 18, 0, 0);
    public static final LabSubnet DEFAULT = new LabSubnet(RESERVED, 24);

    public LabSubnet {
        if (prefix < 15 || prefix > 27) {
            throw ConnectError.invalidInput("--subnet: the prefix must be between /15 and /27 (a lab needs 20 addresses), got /" + prefix);
        }
        int mask = mask(prefix);
        if ((base & mask(15)) != RESERVED) {
            throw ConnectError.invalidInput("--subnet: " + text(base) + "/" + prefix
                    + " is outside 198.18.0.0/15, the range reserved for network tests; a lab uses no other address");
        }
        if ((base & ~mask) != 0) {
            throw ConnectError.invalidInput("--subnet: " + text(base) + "/" + prefix + " has host bits set; did you mean "
                    + text(base & mask) + "/" + prefix + "?");
        }
    }

    /** {@code A.B.C.D/N}. */
    public static LabSubnet parse(String cidr) {
        String[] parts = cidr.strip().split("/");
        String[] octets = parts[0].split("\\.");
        if (parts.length != 2 || octets.length != 4) {
            throw ConnectError.invalidInput("--subnet: expected an IPv4 range such as 198.18.0.0/24, got '" + cidr + "'");
        }
        try {
            int v = 0;
            for (String o : octets) {
                int n = Integer.parseInt(o);
                if (n < 0 || n > 255) {
                    throw new NumberFormatException();
                }
                v = (v << 8) | n;
            }
            return new LabSubnet(v, Integer.parseInt(parts[1]));
        } catch (NumberFormatException e) {
            throw ConnectError.invalidInput("--subnet: expected an IPv4 range such as 198.18.0.0/24, got '" + cidr + "'");
        }
    }

    public String gateway() {
        return text(base + 1);
    }

    public String leaderSideClient() {
        return text(base + 2);
    }

    public String proxy() {
        return text(base + 10);
    }

    public String member(int i) {
        return text(base + 10 + i);
    }

    @Override
    public String toString() {
        return text(base) + "/" + prefix;
    }

    private static int mask(int prefix) {
        return prefix == 0 ? 0 : -1 << (32 - prefix);
    }

    private static int ip(int a, int b, int c, int d) {
        return (a << 24) | (b << 16) | (c << 8) | d;
    }

    private static String text(int v) {
        return ((v >>> 24) & 255) + "." + ((v >>> 16) & 255) + "." + ((v >>> 8) & 255) + "." + (v & 255);
    }
}
