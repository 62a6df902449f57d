package io.connectha.lab;

import io.connectha.cluster.SecretName;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;

/** The cluster file a lab writes for itself: loopback addresses, lab ports, secrets in 0600 files. */
final class LabClusterFile {

    /**
     * Marks a plain lab's cluster file. The etcd, Patroni and HAProxy sections stay (the cluster
     * file needs them) but nothing of them is started; status and down read this line.
     */
    static final String PLAIN = "# Topology: plain streaming replication, no etcd, Patroni or HAProxy (lab up --plain).";

    /** How the first line starts: it marks a directory as a lab's, which alone may be purged or have its processes faulted. */
    static final String MARKER = "# Written by `connect ha lab up`";

    /** Marks a lab whose hosts are network namespaces, and gives their range: lab down and the faults read it. */
    static final String NAMESPACES = "# Network: namespaces ";

    private LabClusterFile() {
    }

    /** The range of a lab in network namespaces; empty for a loopback lab. */
    static java.util.Optional<LabSubnet> namespaces(String clusterFileText) {
        return clusterFileText.lines().limit(3).filter(l -> l.startsWith(NAMESPACES)).findFirst()
                .map(l -> LabSubnet.parse(l.substring(NAMESPACES.length()).split(" ")[0]));
    }

    static boolean isWrittenByLab(String clusterFileText) {
        return clusterFileText.startsWith(MARKER);
    }

    static String read(LabLayout layout) {
        try {
            return Files.readString(layout.clusterFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static boolean isPlain(String clusterFileText) {
        return clusterFileText.lines().limit(3).anyMatch(PLAIN::equals);
    }

    static String render(LabOptions o) {
        LabLayout l = new LabLayout(o.dir());
        int b = o.portBase();
        boolean fast = o.profile() == LabOptions.Profile.fast;
        StringBuilder sb = new StringBuilder();
        boolean ns = o.namespaces();
        LabSubnet net = o.subnet();
        sb.append(MARKER).append(": a whole HA stack on ").append(ns ? "network namespaces" : "loopback").append(". Profile ")
                .append(fast ? "fast" : "default").append(", port base ").append(b).append(".\n");
        if (o.plain()) {
            sb.append(PLAIN).append('\n');
        }
        if (ns) {
            sb.append(NAMESPACES).append(net).append(" (lab up --network namespaces): a host per member, one for HAProxy and PgBouncer.\n");
        }
        String front = ns ? net.proxy() : LabLayout.FRONT_HOST;
        String networks = ns ? "[" + net + "]" : "[127.0.0.0/8]";
        sb.append("name: lab\n");
        sb.append("drills: allowed\n");
        sb.append("postgresql:\n");
        sb.append("  data_dir_root: ").append(l.data()).append('\n');
        sb.append("  unix_socket_dir: ").append(l.sockets()).append('\n');
        sb.append("  memory: 1GB\n");
        sb.append("  max_connections: 100\n");
        sb.append("  wal_keep_size: 256MB\n");
        sb.append("  networks: ").append(networks).append('\n');
        sb.append("  admin_networks: ").append(networks).append('\n');
        sb.append("  replication_passfile: ").append(l.config().resolve("postgresql/replication.pgpass")).append('\n');
        sb.append("members:\n");
        for (int i = 1; i <= o.members(); i++) {
            sb.append("  - {name: ").append(LabLayout.memberName(i)).append(", host: ").append(ns ? net.member(i) : LabLayout.memberHost(i))
                    .append(", port: ").append(LabLayout.memberPort(b, i)).append(", patroni_port: ")
                    .append(LabLayout.restPort(b, i)).append("}\n");
        }
        sb.append("etcd:\n");
        sb.append("  data_dir_root: ").append(l.etcdData()).append('\n');
        sb.append("  members:\n");
        for (int j = 1; j <= o.etcdMembers(); j++) {
            sb.append("    - {name: ").append(LabLayout.etcdName(j)).append(", host: ").append(ns ? net.member(j) : LabLayout.etcdHost(j))
                    .append(", client_port: ").append(LabLayout.etcdClientPort(b, j)).append(", peer_port: ")
                    .append(LabLayout.etcdPeerPort(b, j)).append("}\n");
        }
        if (!fast) {
            // Patroni's defaults, kept as they are so the drills measure them: their worst-case node loss is
            // 34.5 s (measured up to 30.8 s), over the default 30 s target (docs/rto.md)
            sb.append("rto_target: 35s\n");
        }
        sb.append("patroni:\n");
        sb.append("  scope: lab\n");
        sb.append("  namespace: /service\n");
        if (fast) {
            sb.append("  ttl: 10\n  loop_wait: 2\n  retry_timeout: 4\n");
        } else {
            sb.append("  ttl: 30\n  loop_wait: 10\n  retry_timeout: 10\n");
        }
        sb.append("  maximum_lag_on_failover: 1MB\n");
        sb.append("  synchronous_mode: ").append(o.synchronous()).append('\n');
        sb.append("  config_dir: ").append(l.config().resolve("patroni")).append('\n');
        sb.append("haproxy:\n");
        sb.append("  host: ").append(front).append('\n');
        sb.append("  write_port: ").append(LabLayout.writePort(b)).append('\n');
        sb.append("  read_port: ").append(LabLayout.readPort(b)).append('\n');
        sb.append("  stats_host: ").append(ns ? net.proxy() : "127.0.0.1").append('\n');
        sb.append("  stats_port: ").append(LabLayout.statsPort(b)).append('\n');
        sb.append("  stats_socket: ").append(l.run().resolve("haproxy.sock")).append('\n');
        sb.append(fast ? "  check_interval: 500ms\n  fall: 2\n  rise: 1\n" : "  check_interval: 1s\n  fall: 3\n  rise: 2\n");
        sb.append("pgbouncer:\n");
        sb.append("  host: ").append(front).append('\n');
        sb.append("  port: ").append(LabLayout.pgbouncerPort(b)).append('\n');
        sb.append("  pool_mode: transaction\n");
        if (o.plain()) {
            sb.append("  target: primary\n");
        }
        sb.append("  config_dir: ").append(l.config().resolve("pgbouncer")).append('\n');
        sb.append("  unix_socket_dir: ").append(l.sockets()).append('\n');
        sb.append("secrets:\n");
        for (SecretName s : SecretName.values()) {
            sb.append("  ").append(s).append(": {file: ").append(l.secrets().resolve(s.name())).append("}\n");
        }
        return sb.toString();
    }
}
