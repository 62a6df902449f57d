package io.connectha.discover;

import io.connectha.error.ConnectError;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The three parsers on hand-written configs that follow none of connect's conventions (test resources discover/). */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class DiscoveryParsersTest {

    static String resource(String name) {
        try (InputStream in = DiscoveryParsersTest.class.getResourceAsStream("/discover/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void patroni_yml_gives_scope_etcd_tls_rest_without_auth_addresses_users_and_bootstrap_timings() {
        PatroniYml y = PatroniYml.parse("orders-node-a.yml", resource("orders-node-a.yml"));
        assertThat(y.scope()).isEqualTo("orders-prod");
        assertThat(y.namespace()).isEqualTo("/pg/");
        assertThat(DiscoveryService.normaliseNamespace(y.namespace())).isEqualTo("/pg");
        assertThat(y.name()).isEqualTo("node-a");
        assertThat(y.etcdHosts()).containsExactly("10.9.0.5:2479", "10.9.0.6:2479", "10.9.0.7:2479");
        assertThat(y.etcdProtocol()).isEqualTo("https");
        assertThat(y.etcdCaFile()).isEqualTo("/etc/patroni/tls/ca.crt");
        assertThat(y.etcdCertFile()).isEqualTo("/etc/patroni/tls/etcd-client.crt");
        assertThat(y.etcdKeyFile()).isEqualTo("/etc/patroni/tls/etcd-client.key");
        assertThat(y.restAddress()).isEqualTo("db1.internal:9008");
        assertThat(y.restTls()).isTrue();
        assertThat(y.restCaFile()).isEqualTo("/etc/patroni/tls/ca.crt");
        assertThat(y.restUser()).as("no restapi.authentication: the REST API asks for none").isNull();
        assertThat(y.pgAddress()).isEqualTo("db1.internal:6543");
        assertThat(y.dataDir()).isEqualTo("/srv/pg/node-a");
        assertThat(y.superuser()).isEqualTo("dba");
        assertThat(y.replicationUser()).isEqualTo("repl");
        assertThat(y.sslmode()).isEqualTo("verify-ca");
        assertThat(y.sslRootCert()).isEqualTo("/etc/patroni/tls/ca.crt");
        assertThat(y.dcsTimings()).containsEntry("ttl", 10L).containsEntry("loop_wait", 2L).containsEntry("retry_timeout", 5L)
                .containsEntry("maximum_lag_on_failover", 1048576L).containsEntry("use_slots", false);
        assertThat(y.parameters()).containsEntry("unix_socket_directories", "/run/pg-orders, /tmp");
        // noticed so that the operator is told, but never kept
        assertThat(y.holdsPasswords()).containsExactly("superuser", "replication");
        assertThat(y.toString()).doesNotContain("s3cr3t-in-the-file").doesNotContain("another-one");
    }

    @Test
    void patroni_yml_with_basic_auth_and_plain_etcd_list() {
        PatroniYml y = PatroniYml.parse("x", """
                scope: pay
                name: p1
                restapi: {listen: 10.0.0.1:8008, authentication: {username: ops, password: x}}
                etcd3: {hosts: [10.0.0.5:2379]}
                postgresql: {listen: 10.0.0.1:5432}
                """);
        assertThat(y.restUser()).isEqualTo("ops");
        assertThat(y.restTls()).isFalse();
        assertThat(y.etcdProtocol()).isEqualTo("http");
        assertThat(y.etcdHosts()).containsExactly("10.0.0.5:2379");
        assertThat(y.restAddress()).as("listen when there is no connect_address").isEqualTo("10.0.0.1:8008");
        assertThat(y.namespace()).isNull();
        assertThat(y.holdsPasswords()).containsExactly("restapi");
    }

    @Test
    void a_yaml_file_that_is_no_patroni_configuration_is_bad_input() {
        assertThatThrownBy(() -> PatroniYml.parse("f.yml", "name: x\n"))
                .isInstanceOf(ConnectError.class).hasMessage("--patroni-config f.yml: not a Patroni configuration (no scope)")
                .extracting(e -> ((ConnectError) e).kind()).isEqualTo(ConnectError.Kind.INVALID_INPUT);
        assertThatThrownBy(() -> PatroniYml.read(Path.of("/nonexistent/patroni.yml")))
                .hasMessage("--patroni-config /nonexistent/patroni.yml: no such file");
    }

    @Test
    void haproxy_cfg_credits_frontend_binds_to_their_backends_and_reads_checks_and_defaults() {
        HaproxyCfg cfg = HaproxyCfg.parse(resource("orders-haproxy.cfg"));
        assertThat(cfg.statsSocket()).isEqualTo("/var/run/haproxy/admin.sock");
        assertThat(cfg.statsBind()).isEqualTo("127.0.0.1:9100");
        assertThat(cfg.statsUser()).as("the user of stats auth; its password stays in haproxy.cfg").isEqualTo("admin");
        assertThat(cfg.maxconn()).isEqualTo(500);
        Map<String, HaproxyCfg.Proxy> backends = cfg.backends();
        assertThat(backends.keySet()).containsExactly("pg_primary", "pg_replicas", "legacy_reports");
        HaproxyCfg.Proxy primary = backends.get("pg_primary");
        assertThat(primary.binds()).containsExactly("*:6000");
        assertThat(primary.checkUri()).isEqualTo("/primary");
        assertThat(primary.inter()).isEqualTo("3s");
        assertThat(primary.fall()).isEqualTo(3);
        assertThat(primary.servers()).extracting(HaproxyCfg.Server::address)
                .containsExactly("db1.internal:6543", "db1.internal:6544", "db2.internal:6543");
        assertThat(primary.servers().get(1).checkPort()).isEqualTo(9009);
        HaproxyCfg.Proxy replicas = backends.get("pg_replicas");
        assertThat(replicas.binds()).containsExactly("10.9.0.10:6001");
        assertThat(replicas.checkUri()).isEqualTo("/replica?lag=10MB");
        assertThat(replicas.inter()).isEqualTo("1500");
        assertThat(replicas.fall()).isEqualTo(5);
        assertThat(replicas.rise()).isEqualTo(1);
    }

    @Test
    void haproxy_listen_sections_as_connect_generates_them() {
        HaproxyCfg cfg = HaproxyCfg.parse("""
                global
                    stats socket /tmp/h.sock mode 600 level admin
                listen write
                    bind 127.0.0.10:5000
                    http-check send meth OPTIONS uri /primary
                    default-server inter 500ms fall 2 rise 1 on-marked-down shutdown-sessions
                    server pg1 127.0.0.11:5432 check port 8008
                """);
        assertThat(cfg.backends().get("write").binds()).containsExactly("127.0.0.10:5000");
        assertThat(cfg.backends().get("write").checkUri()).isEqualTo("/primary");
        assertThat(cfg.backends().get("write").inter()).isEqualTo("500ms");
    }

    @Test
    void pgbouncer_ini_reads_aliases_quoted_values_and_admins_and_skips_the_fallback_entry() {
        PgbouncerIni ini = PgbouncerIni.parse(resource("orders-pgbouncer.ini"));
        assertThat(ini.listenAddr()).isEqualTo("0.0.0.0");
        assertThat(ini.listenPort()).isEqualTo(7432);
        assertThat(ini.poolMode()).isEqualTo("session");
        assertThat(ini.adminUsers()).containsExactly("ops", "dba");
        assertThat(ini.defaultPoolSize()).isEqualTo(40);
        assertThat(ini.maxClientConn()).isEqualTo(2000);
        assertThat(ini.authFile()).isEqualTo("/etc/pgbouncer-orders/users.txt");
        assertThat(ini.databases()).containsExactly(
                new PgbouncerIni.Database("orders_rw", "orders", "10.9.0.10", 6000),
                new PgbouncerIni.Database("reporting", "orders", "db2.internal", 6543),
                new PgbouncerIni.Database("billing", "billing", "10.9.0.10", 6000));
        assertThat(ini.databases()).extracting(PgbouncerIni.Database::isAlias).containsExactly(true, true, false);
    }

    @Test
    void show_stat_lines_keep_the_server_address() {
        String csv = "# pxname,svname,qcur,status,addr\n"
                + "pg_primary,FRONTEND,,OPEN,\n"
                + "pg_primary,node-a,0,UP,127.0.0.11:6543\n"
                + "pg_primary,node-b,0,DOWN,127.0.0.11:6544\n"
                + "pg_primary,BACKEND,0,UP,\n";
        assertThat(LiveSources.serverLines(csv)).containsExactly(
                new LiveSources.ServerLine("pg_primary", "node-a", "127.0.0.11:6543", true),
                new LiveSources.ServerLine("pg_primary", "node-b", "127.0.0.11:6544", false));
    }

    @Test
    void backend_choice_by_live_state_names_the_rule() {
        List<BackendChoice.Backend> backends = List.of(
                new BackendChoice.Backend("pg_primary", List.of("h:1", "h:2", "g:1"), List.of("h:1"), "/primary"),
                new BackendChoice.Backend("pg_replicas", List.of("h:1", "h:2", "g:1"), List.of("g:1", "h:2"), "/replica"),
                new BackendChoice.Backend("legacy_reports", List.of("x:5432"), List.of("x:5432"), null));
        BackendChoice.Choice c = BackendChoice.decide(backends, java.util.Set.of("h:1", "h:2", "g:1"), "h:1", java.util.Set.of("h:2", "g:1"));
        assertThat(c.write()).isEqualTo(new BackendChoice.Decision("pg_primary", "only its UP server is the leader (h:1)"));
        assertThat(c.read()).isEqualTo(new BackendChoice.Decision("pg_replicas", "its UP servers are replicas (g:1, h:2)"));
        assertThat(c.warnings()).containsExactly("HAProxy backend legacy_reports has no server at a member's address; not a backend of this cluster");
    }

    @Test
    void backend_choice_without_live_state_goes_by_health_check_then_by_name() {
        var members = java.util.Set.of("h:1", "h:2");
        BackendChoice.Choice byCheck = BackendChoice.decide(List.of(
                new BackendChoice.Backend("alpha", List.of("h:1", "h:2"), null, "/read-write"),
                new BackendChoice.Backend("beta", List.of("h:1", "h:2"), null, "/replica?lag=1MB")), members, null, java.util.Set.of());
        assertThat(byCheck.write()).isEqualTo(new BackendChoice.Decision("alpha", "its health check asks Patroni's /read-write"));
        assertThat(byCheck.read()).isEqualTo(new BackendChoice.Decision("beta", "its health check asks Patroni's /replica"));

        BackendChoice.Choice byName = BackendChoice.decide(List.of(
                new BackendChoice.Backend("pg_master", List.of("h:1"), null, null),
                new BackendChoice.Backend("pg_replicas", List.of("h:1", "h:2"), null, null)), members, null, java.util.Set.of());
        assertThat(byName.write()).isEqualTo(new BackendChoice.Decision("pg_master", "its name"));
        assertThat(byName.read()).isEqualTo(new BackendChoice.Decision("pg_replicas", "its name"));
    }

    @Test
    void backend_choice_live_with_a_read_backend_that_includes_the_leader() {
        BackendChoice.Choice c = BackendChoice.decide(List.of(
                new BackendChoice.Backend("rw", List.of("a:1", "b:1"), List.of("a:1"), null),
                new BackendChoice.Backend("any", List.of("a:1", "b:1"), List.of("a:1", "b:1"), null)),
                java.util.Set.of("a:1", "b:1"), "a:1", java.util.Set.of("b:1"));
        assertThat(c.write().backend()).isEqualTo("rw");
        assertThat(c.read()).isEqualTo(new BackendChoice.Decision("any", "replicas are UP in it (with the leader)"));
    }
}
