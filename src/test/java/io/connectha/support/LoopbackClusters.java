package io.connectha.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.IntSupplier;

/** Cluster files whose every component is on loopback at ports a test chooses: nobody listening, or a silent listener. */
public final class LoopbackClusters {

    private LoopbackClusters() {
    }

    /**
     * A valid two-member cluster named {@code name} in {@code dir}/cluster.yaml (its secrets in 0600 files beside it),
     * every member and component at a port from {@code ports}, and a stats socket that does not exist.
     */
    public static Path write(Path dir, String name, IntSupplier ports) throws IOException {
        Files.createDirectories(dir);
        String secrets = TestClusters.minimal(dir);
        secrets = secrets.substring(secrets.indexOf("secrets:\n"));
        String text = "name: " + name + "\n"
                + "postgresql:\n  memory: 1GB\n"
                + "members:\n"
                + "  - {name: pg1, host: 127.0.0.1, port: " + ports.getAsInt() + ", patroni_port: " + ports.getAsInt() + "}\n"
                + "  - {name: pg2, host: 127.0.0.1, port: " + ports.getAsInt() + ", patroni_port: " + ports.getAsInt() + "}\n"
                + "etcd:\n  members:\n"
                + "    - {name: etcd1, host: 127.0.0.1, client_port: " + ports.getAsInt() + ", peer_port: " + ports.getAsInt() + "}\n"
                + "haproxy:\n  host: 127.0.0.1\n  write_port: " + ports.getAsInt() + "\n  read_port: " + ports.getAsInt()
                + "\n  stats_host: 127.0.0.1\n  stats_port: " + ports.getAsInt() + "\n  stats_socket: " + dir.resolve("no-haproxy.sock") + "\n"
                + "pgbouncer:\n  host: 127.0.0.1\n  port: " + ports.getAsInt() + "\n"
                + secrets;
        Path file = dir.resolve("cluster.yaml");
        Files.writeString(file, text);
        return file;
    }

    /** A port nobody listens on, as an {@link IntSupplier}. */
    public static int deadPort() {
        try {
            return TimedRun.portNobodyListensOn();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
