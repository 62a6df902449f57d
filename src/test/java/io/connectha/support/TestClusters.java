package io.connectha.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

/** Cluster files for tests: the repository's example, and small valid files to break one field at a time. */
public final class TestClusters {

    public static final Path PROJECT = Path.of(System.getProperty("connect.project.dir", "."));
    public static final Path EXAMPLE = PROJECT.resolve("examples/cluster.yaml");

    private TestClusters() {
    }

    /** The example secrets of examples/example-secrets.env, as an environment. */
    public static Map<String, String> exampleSecrets() throws IOException {
        Map<String, String> env = new java.util.LinkedHashMap<>();
        for (String line : Files.readAllLines(PROJECT.resolve("examples/example-secrets.env"))) {
            if (!line.isBlank() && !line.startsWith("#")) {
                int eq = line.indexOf('=');
                env.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        return env;
    }

    /** A minimal valid two-member cluster file with every secret in a 0600 file under {@code dir}. */
    public static String minimal(Path dir) throws IOException {
        StringBuilder secrets = new StringBuilder("secrets:\n");
        for (String name : new String[]{"superuser", "replication", "app", "rest_api", "pgbouncer_admin", "haproxy_stats"}) {
            Path file = dir.resolve(name + ".password");
            writeSecret(file, "test-" + name + "-pw-7Qz");
            secrets.append("  ").append(name).append(": {file: ").append(file).append("}\n");
        }
        // last, so that lines above keep their numbers; Patroni's default timings cost 34.5 s per node loss (docs/rto.md)
        return """
                name: test
                postgresql:
                  memory: 1GB
                members:
                  - name: pg1
                    host: 10.1.0.11
                  - name: pg2
                    host: 10.1.0.12
                etcd:
                  members:
                    - {name: etcd1, host: 10.1.0.21}
                haproxy:
                  host: 10.1.0.10
                """ + secrets + "rto_target: 35s\n";
    }

    public static void writeSecret(Path file, String value) throws IOException {
        Files.writeString(file, value + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    }
}
