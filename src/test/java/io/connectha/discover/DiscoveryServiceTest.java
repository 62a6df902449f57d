package io.connectha.discover;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole of discovery on a stack that follows none of connect's conventions, with Patroni's REST
 * API played by a small HTTP server and the members' ports by listening sockets (ports 27871-27879 of
 * this branch's range). What it proves is the merge and the file; the lab test proves the live reads.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class DiscoveryServiceTest {

    private final List<ServerSocket> listeners = new ArrayList<>();
    private HttpServer patroni;

    @AfterEach
    void stop() throws IOException {
        for (ServerSocket s : listeners) {
            s.close();
        }
        if (patroni != null) {
            patroni.stop(0);
        }
    }

    private void listen(String host, int port) throws IOException {
        ServerSocket s = new ServerSocket();
        s.setReuseAddress(true);
        s.bind(new InetSocketAddress(host, port));
        listeners.add(s);
    }

    private void fakePatroni(Map<String, String> answers) throws IOException {
        patroni = HttpServer.create(new InetSocketAddress("127.0.0.1", 27872), 0);
        answers.forEach((path, body) -> patroni.createContext(path, exchange -> {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        }));
        patroni.start();
    }

    @Test
    void a_hand_built_stack_gives_a_file_with_its_own_names_aliases_tls_and_live_timings(@TempDir Path tmp) throws IOException {
        // node-a and node-b share 127.0.0.1 with different ports; node-c is alone on 127.0.0.2
        listen("127.0.0.1", 27873);
        listen("127.0.0.1", 27874);
        listen("127.0.0.2", 27873);
        listen("127.0.0.1", 27871);
        listen("127.0.0.2", 27871);
        listen("127.0.0.1", 27876);
        fakePatroni(Map.of(
                "/cluster", """
                        {"members": [
                          {"name": "node-a", "role": "leader", "state": "running", "host": "127.0.0.1", "port": 27873,
                           "api_url": "https://127.0.0.1:27871/patroni", "timeline": 3},
                          {"name": "node-b", "role": "replica", "state": "streaming", "host": "127.0.0.1", "port": 27874,
                           "api_url": "https://127.0.0.1:27872/patroni", "timeline": 3, "lag": 0},
                          {"name": "node-c", "role": "sync_standby", "state": "streaming", "host": "127.0.0.2", "port": 27873,
                           "api_url": "https://127.0.0.2:27871/patroni", "timeline": 3, "lag": 0}]}""",
                "/patroni", """
                        {"state": "running", "role": "replica", "server_version": 150004,
                         "patroni": {"version": "3.0.2", "scope": "orders-prod", "name": "node-b"}}""",
                "/config", """
                        {"ttl": 10, "loop_wait": 2, "retry_timeout": 5, "maximum_lag_on_failover": 1048576,
                         "postgresql": {"use_pg_rewind": true, "use_slots": false}}"""));
        Path yml = tmp.resolve("patroni/node-a.yml");
        Files.createDirectories(yml.getParent());
        Files.writeString(yml, """
                scope: orders-prod
                namespace: /pg/
                name: node-a
                restapi:
                  listen: 0.0.0.0:27871
                  connect_address: 127.0.0.1:27871
                  certfile: /etc/patroni/tls/rest.crt
                ctl: {cacert: /etc/patroni/tls/ca.crt}
                etcd3:
                  protocol: https
                  hosts: 127.0.0.1:27879
                  cacert: /etc/patroni/tls/ca.crt
                  cert: /etc/patroni/tls/etcd-client.crt
                  key: /etc/patroni/tls/etcd-client.key
                bootstrap: {dcs: {ttl: 30, loop_wait: 10, retry_timeout: 10}}
                postgresql:
                  listen: 0.0.0.0:27873
                  connect_address: 127.0.0.1:27873
                  data_dir: /srv/pg/node-a
                  bin_dir: /usr/lib/postgresql/15/bin
                  authentication:
                    superuser: {username: dba, password: s3cr3t-in-the-file}
                    replication: {username: repl}
                """);
        Path cfg = tmp.resolve("haproxy.cfg");
        Files.writeString(cfg, """
                global
                    maxconn 500
                defaults
                    default-server inter 3s fall 3 rise 2
                frontend fe_rw
                    bind *:27875
                    default_backend pg_primary
                backend pg_primary
                    option httpchk GET /primary
                    server a 127.0.0.1:27873 check port 27871
                    server b 127.0.0.1:27874 check port 27872
                    server c 127.0.0.2:27873 check port 27871
                listen pg_replicas
                    bind 0.0.0.0:27877
                    http-check send meth GET uri /replica?lag=10MB
                    server a 127.0.0.1:27873 check port 27871
                    server b 127.0.0.1:27874 check port 27872
                    server c 127.0.0.2:27873 check port 27871
                """);
        Path ini = tmp.resolve("pgbouncer.ini");
        Files.writeString(ini, """
                [databases]
                orders_rw = host=127.0.0.1 port=27875 dbname=orders
                [pgbouncer]
                listen_addr = 127.0.0.1
                listen_port = 27876
                pool_mode = session
                admin_users = ops
                """);
        DiscoveryRequest request = new DiscoveryRequest(yml, "http://127.0.0.1:27872", null, null, null, cfg, null, null, ini, null,
                null, Duration.ofMillis(500), Duration.ofSeconds(1));

        DiscoveryReport report = new DiscoveryService(Map.of()).discover(request);
        String file = report.content();

        assertThat(file).startsWith("""
                # Discovered by `connect ha discover` from a running cluster, from:
                #   --patroni-config %s
                #   --patroni http://127.0.0.1:27872
                #   --haproxy-config %s
                #   --pgbouncer-config %s
                """.formatted(yml, cfg, ini));
        assertThat(file).contains("""
                name: orders-prod
                postgresql:
                  version: 15
                  bin_dir: /usr/lib/postgresql/15/bin
                  database: orders
                  superuser: dba
                  replication_user: repl
                  data_dir_root: /srv/pg
                members:
                  - name: node-a
                    host: 127.0.0.1
                    port: 27873
                    patroni_port: 27871
                  - name: node-b
                    host: 127.0.0.1
                    port: 27874
                    patroni_port: 27872
                  - name: node-c
                    host: 127.0.0.2
                    port: 27873
                    patroni_port: 27871
                etcd:
                  members:
                    - name: etcd1
                      host: 127.0.0.1
                      client_port: 27879
                  tls:
                    ca_file: /etc/patroni/tls/ca.crt
                    cert_file: /etc/patroni/tls/etcd-client.crt
                    key_file: /etc/patroni/tls/etcd-client.key
                patroni:
                  scope: orders-prod
                  namespace: /pg
                  ttl: 10
                  loop_wait: 2
                  retry_timeout: 5
                  maximum_lag_on_failover: 1048576
                """);
        assertThat(file).contains("""
                  rest_api_auth: none
                  rest_api_tls:
                    ca_file: /etc/patroni/tls/ca.crt
                haproxy:
                  host: 127.0.0.1
                  write_port: 27875
                  read_port: 27877
                """);
        assertThat(file).contains("""
                  check_interval: 3s
                  fall: 3
                  rise: 2
                  maxconn: 500
                  write_backend: pg_primary
                  read_backend: pg_replicas
                pgbouncer:
                  host: 127.0.0.1
                  port: 27876
                  pool_mode: session
                  databases:
                    - name: orders_rw
                      dbname: orders
                  admin_user: ops
                  target: haproxy
                secrets:
                  superuser:
                    env: CONNECT_SUPERUSER_PASSWORD
                """);
        assertThat(file).doesNotContain("rest_api:").doesNotContain("s3cr3t");
        assertThat(report.secrets()).extracting(DiscoveryReport.Secret::name)
                .containsExactly("superuser", "replication", "app", "pgbouncer_admin", "haproxy_stats");
        assertThat(report.found()).contains(new DiscoveryReport.Found("haproxy.write_backend", "pg_primary",
                "haproxy.cfg " + cfg + ": its health check asks Patroni's /primary"));
        assertThat(report.found()).contains(new DiscoveryReport.Found("patroni.ttl", "10", "Patroni http://127.0.0.1:27872 /config"));
        assertThat(report.missing()).extracting(DiscoveryReport.Missing::item).contains("etcd https://127.0.0.1:27879 (from patroni.yml)");
        assertThat(report.warnings()).contains(
                "patroni.yml " + yml + " holds the password of superuser; discover did not copy it: put each one where the secrets section says",
                "HAProxy binds every address (*); haproxy.host is 127.0.0.1: change it to the address clients use");
        assertThat(report.warnings()).as("the live timings break Patroni's rule: a warning, not a refusal")
                .anySatisfy(w -> assertThat(w).endsWith("ttl 10 is smaller than loop_wait + 2 x retry_timeout = 2 + 2 x 5 = 12; "
                        + "the leader could lose its key while retrying"));
        assertThat(report.checks()).extracting(c -> c.what() + "=" + c.ok()).contains("the leader=true",
                "member node-b PostgreSQL at 127.0.0.1:27874=true", "PgBouncer at 127.0.0.1:27876=true");

        assertThat(new DiscoveryService(Map.of()).discover(request).content()).as("a second run: the same bytes").isEqualTo(file);
    }
}
