package io.connectha.config;

import io.connectha.cluster.ClusterFileLoader;
import io.connectha.cluster.LoadedCluster;
import io.connectha.cluster.SecretResolver;
import io.connectha.support.TestClusters;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** What the generated files say, for the example cluster. The real programs' verdict is in the integration tests. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class GeneratedContentTest {

    static Map<String, GeneratedFile> files;
    static Map<String, String> secrets;

    @BeforeAll
    static void generate() throws IOException {
        secrets = TestClusters.exampleSecrets();
        LoadedCluster cluster = new ClusterFileLoader(secrets).load(TestClusters.EXAMPLE);
        var service = new ConfigGenerationService(cluster, new SecretResolver(cluster, secrets), new ConfigFileWriter());
        files = service.generate(new ConfigGenerationService.Request(List.of(), Path.of("/nonexistent"), null, Map.of()))
                .stream().collect(Collectors.toMap(GeneratedFile::path, f -> f));
    }

    private static String text(String path) {
        return files.get(path).content();
    }

    @Test
    void postgresql_uses_pg15_names_and_sizes_memory_from_the_cluster_file() {
        String primary = text("postgresql/pg1/postgresql.conf");
        assertThat(primary).contains("shared_buffers = 4GB", "effective_cache_size = 8GB", "maintenance_work_mem = 1GB",
                "wal_keep_size = 1GB", "wal_level = replica", "password_encryption = 'scram-sha-256'",
                "listen_addresses = '10.0.1.11'", "random_page_cost = 1.1");
        assertThat(primary).doesNotContain("primary_conninfo").doesNotContain("wal_keep_segments");
        String standby = text("postgresql/pg2/postgresql.standby.conf");
        assertThat(standby).contains("primary_conninfo = 'host=10.0.1.11 port=5432 user=replicator passfile=/var/lib/postgresql/15/replication.pgpass application_name=pg2")
                .contains("primary_slot_name = pg2").contains("standby.signal").doesNotContain("password=");
        assertThat(files.keySet()).noneMatch(p -> p.endsWith("recovery.conf"));
    }

    @Test
    void pg_hba_limits_access_to_members_and_networks_with_scram_only() {
        String hba = text("postgresql/pg_hba.conf");
        assertThat(hba).contains("host    replication     replicator      10.0.1.12/32            scram-sha-256")
                .contains("host    app             app             10.0.2.0/24             scram-sha-256")
                .contains("host    all             all             0.0.0.0/0               reject");
        assertThat(hba.lines().filter(l -> !l.startsWith("#")).collect(Collectors.joining("\n")))
                .doesNotContain("md5").doesNotContain("trust").doesNotContain("password ");
    }

    @Test
    void pgbouncer_uses_scram_transaction_pooling_and_an_admin_user() {
        String ini = text("pgbouncer/pgbouncer.ini");
        assertThat(ini).contains("auth_type = scram-sha-256", "pool_mode = transaction", "admin_users = pgbouncer_admin",
                "app = host=10.0.1.10 port=5000 dbname=app", "auth_file = /etc/pgbouncer/userlist.txt");
        assertThat(files.get("pgbouncer/userlist.txt").kind()).isEqualTo(GeneratedFile.Kind.SECRET);
        assertThat(text("pgbouncer/userlist.txt")).containsPattern("\"app\" \"SCRAM-SHA-256\\$4096:")
                .containsPattern("\"pgbouncer_admin\" \"SCRAM-SHA-256\\$4096:").doesNotContain(secrets.get("CONNECT_APP_PASSWORD"));
    }

    @Test
    void haproxy_checks_patroni_with_options_and_cuts_sessions_on_failover() {
        String cfg = text("haproxy/haproxy.cfg");
        assertThat(cfg).contains("http-check send meth OPTIONS uri /primary", "http-check send meth OPTIONS uri /replica",
                "on-marked-down shutdown-sessions", "bind 10.0.1.10:5000", "bind 10.0.1.10:5001", "bind 127.0.0.1:7000",
                "stats socket /run/haproxy/demo.sock mode 600 level admin", "server pg2 10.0.1.12:5432 check port 8008",
                "inter 1s", "fall 2 rise 2");
        assertThat(cfg).doesNotContain(" GET ").doesNotContain(secrets.get("CONNECT_HAPROXY_STATS_PASSWORD")).containsPattern("password \\$6\\$");
    }

    @Test
    void haproxy_names_its_backends_from_the_cluster_file_and_pgbouncer_writes_aliases_with_ports_above_32767(
            @org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
        String example = java.nio.file.Files.readString(TestClusters.EXAMPLE);
        String custom = example.replace("  write_port: 5000\n  read_port: 5001\n",
                        "  write_port: 40000\n  read_port: 40001\n  write_backend: pg_primary\n  read_backend: pg_replicas\n")
                .replace("  port: 6432\n", "  port: 45432\n")
                .replace("  databases: [app]\n", "  databases: [app, {name: orders_rw, dbname: app}]\n");
        assertThat(custom).contains("write_backend: pg_primary", "port: 45432", "orders_rw");
        Path file = dir.resolve("cluster.yaml");
        java.nio.file.Files.writeString(file, custom);
        LoadedCluster cluster = new ClusterFileLoader(secrets).load(file);
        // a running cluster may use the ephemeral range: a warning, not a refusal, and generation goes on
        assertThat(cluster.warnings()).isNotEmpty();
        var service = new ConfigGenerationService(cluster, new SecretResolver(cluster, secrets), new ConfigFileWriter());
        Map<String, String> out = service.generate(new ConfigGenerationService.Request(List.of(), Path.of("/nonexistent"), null, Map.of()))
                .stream().collect(Collectors.toMap(GeneratedFile::path, GeneratedFile::content));
        String cfg = out.get("haproxy/haproxy.cfg");
        assertThat(cfg).contains("listen pg_primary\n    bind 10.0.1.10:40000\n", "listen pg_replicas\n    bind 10.0.1.10:40001\n")
                .doesNotContain("listen write").doesNotContain("listen read");
        assertThat(out.get("pgbouncer/pgbouncer.ini")).contains("app = host=10.0.1.10 port=40000 dbname=app\n",
                "orders_rw = host=10.0.1.10 port=40000 dbname=app\n", "listen_port = 45432\n");
        // only the names and ports differ from the default output (the stats password hash is salted anew)
        assertThat(withoutHash(cfg.replace("pg_primary", "write").replace("pg_replicas", "read")
                .replace(":40000", ":5000").replace(":40001", ":5001"))).isEqualTo(withoutHash(text("haproxy/haproxy.cfg")));
    }

    private static String withoutHash(String cfg) {
        return cfg.replaceAll("password \\$6\\$\\S+", "password HASH");
    }

    @Test
    void patroni_uses_etcd3_authentication_and_the_cluster_timings_without_passwords() {
        String yml = text("patroni/pg2.yml");
        assertThat(yml).contains("etcd3:\n  hosts:\n    - 10.0.1.21:2379", "name: pg2", "scope: demo", "namespace: /service/",
                "ttl: 30", "loop_wait: 10", "retry_timeout: 10", "maximum_lag_on_failover: 1048576", "use_pg_rewind: true",
                "use_slots: true", "username: patroni", "connect_address: 10.0.1.12:8008", "data_dir: /var/lib/postgresql/15/pg2");
        assertThat(yml).doesNotContain("\netcd:").doesNotContainPattern("(?m)^\\s*password:");
        String env = text("patroni/patroni.env");
        assertThat(env).contains("PATRONI_SUPERUSER_PASSWORD=" + secrets.get("CONNECT_SUPERUSER_PASSWORD"),
                "PATRONI_REPLICATION_PASSWORD=" + secrets.get("CONNECT_REPLICATION_PASSWORD"),
                "PATRONI_RESTAPI_PASSWORD=" + secrets.get("CONNECT_REST_API_PASSWORD"));
    }

    @Test
    void etcd_has_one_file_per_member_with_the_whole_initial_cluster() {
        assertThat(files.keySet().stream().filter(p -> p.startsWith("etcd/")).collect(Collectors.toSet()))
                .isEqualTo(Set.of("etcd/etcd1.yml", "etcd/etcd2.yml", "etcd/etcd3.yml"));
        assertThat(text("etcd/etcd2.yml")).contains("name: etcd2", "listen-client-urls: http://10.0.1.22:2379",
                "initial-cluster: etcd1=http://10.0.1.21:2380,etcd2=http://10.0.1.22:2380,etcd3=http://10.0.1.23:2380",
                "enable-v2: false", "enable-grpc-gateway: true");
    }

    @Test
    void env_has_write_and_read_urls_for_prisma_and_jdbc() {
        String env = text("env/app.env");
        // single-quoted: the & would otherwise end the value for a shell that sources the file
        assertThat(env).contains("DATABASE_URL='postgresql://app:example-only-app-5d7e@10.0.1.10:6432/app?connect_timeout=5&pgbouncer=true'")
                .contains("DATABASE_READ_URL='postgresql://app:example-only-app-5d7e@10.0.1.10:5001/app?connect_timeout=5'\n")
                .contains("JDBC_DATABASE_URL='jdbc:postgresql://10.0.1.10:6432/app?user=app&password=example-only-app-5d7e&connectTimeout=5&prepareThreshold=0'")
                .contains("JDBC_DATABASE_READ_URL='jdbc:postgresql://10.0.1.10:5001/app?");
    }

    @Test
    void output_is_deterministic_apart_from_salts() throws IOException {
        Map<String, GeneratedFile> before = files;
        generate();
        for (String path : before.keySet()) {
            if (!Set.of("pgbouncer/userlist.txt", "postgresql/roles.sql", "patroni/post-bootstrap.sh", "haproxy/haproxy.cfg").contains(path)) {
                assertThat(files.get(path).content()).as(path).isEqualTo(before.get(path).content());
            }
        }
    }
}
