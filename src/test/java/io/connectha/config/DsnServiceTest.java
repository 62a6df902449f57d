package io.connectha.config;

import io.connectha.config.DsnService;

import io.connectha.cluster.ClusterFileLoader;
import io.connectha.cluster.LoadedCluster;
import io.connectha.cluster.MemberSpec;
import io.connectha.cluster.SecretResolver;
import io.connectha.error.ConnectError;
import io.connectha.pg.ConnectionStrings.Format;
import io.connectha.pg.NodeState;
import io.connectha.config.DsnService.Request;
import io.connectha.config.DsnService.Role;
import io.connectha.config.DsnService.Via;
import io.connectha.support.TestClusters;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Which path and member a DSN names, and what it holds; through the proxies no network is needed. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class DsnServiceTest {

    private static final String APP_PASSWORD = "test-app-pw-7Qz";
    private static LoadedCluster cluster;
    private static DsnService service;

    @BeforeAll
    static void cluster(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("cluster.yaml");
        Files.writeString(file, TestClusters.minimal(dir));
        cluster = new ClusterFileLoader().load(file);
        service = new DsnService(cluster, new SecretResolver(cluster), Duration.ofSeconds(1), Duration.ofSeconds(1));
    }

    @Test
    void writes_go_the_cluster_files_way_through_transaction_pooling_pgbouncer_with_its_client_settings() {
        Dsn url = service.resolve(write(null, Format.url));
        assertThat(url.via()).isEqualTo(Via.pgbouncer);
        assertThat(url.dsn()).isEqualTo("postgresql://app@10.1.0.10:6432/app?connect_timeout=5");
        assertThat(url.transactionPooled()).isTrue();
        assertThat(service.resolve(write(null, Format.prisma)).dsn()).endsWith("&pgbouncer=true");
        assertThat(service.resolve(write(null, Format.jdbc)).dsn())
                .isEqualTo("jdbc:postgresql://10.1.0.10:6432/app?user=app&connectTimeout=5&prepareThreshold=0");
        assertThat(service.resolve(write(null, Format.libpq)).dsn()).isEqualTo("host=10.1.0.10 port=6432 dbname=app user=app connect_timeout=5");
    }

    @Test
    void through_pgbouncer_a_dsn_names_the_pool_an_alias_gives_the_database_and_haproxy_the_database(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("alias.yaml");
        Files.writeString(file, TestClusters.minimal(dir) + """
                pgbouncer:
                  databases:
                    - {name: app_rw, dbname: app}
                """);
        LoadedCluster aliased = new ClusterFileLoader().load(file);
        DsnService s = new DsnService(aliased, new SecretResolver(aliased), Duration.ofSeconds(1), Duration.ofSeconds(1));
        assertThat(s.resolve(write(null, Format.url)).dsn()).isEqualTo("postgresql://app@10.1.0.10:6432/app_rw?connect_timeout=5");
        assertThat(s.resolve(write(null, Format.libpq)).dsn()).isEqualTo("host=10.1.0.10 port=6432 dbname=app_rw user=app connect_timeout=5");
        assertThat(s.resolve(write(Via.haproxy, Format.url)).dsn())
                .isEqualTo("postgresql://app@10.1.0.10:5000/app?connect_timeout=5");
        io.connectha.pg.PgConnector.Endpoint endpoint = io.connectha.pg.Endpoints.pgbouncer(aliased.spec(), "app", "app");
        assertThat(endpoint.database()).isEqualTo("app_rw");
        assertThat(endpoint.component()).isEqualTo("PgBouncer pool app_rw (database app)");
    }

    @Test
    void with_sslmode_set_dsns_through_haproxy_carry_it_and_the_ca_but_pgbouncers_do_not(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("cluster.yaml");
        Files.writeString(file, TestClusters.minimal(dir).replace("postgresql:\n",
                "postgresql:\n  sslmode: verify-full\n  ssl_root_cert: certs/ca.crt\n  ssl_cert: certs/app.crt\n  ssl_key: certs/app.key\n"));
        LoadedCluster ssl = new ClusterFileLoader().load(file);
        DsnService withSsl = new DsnService(ssl, new SecretResolver(ssl), Duration.ofSeconds(1), Duration.ofSeconds(1));
        String ca = dir.resolve("certs/ca.crt").toString();
        assertThat(withSsl.resolve(write(Via.haproxy, Format.url)).dsn()).isEqualTo("postgresql://app@10.1.0.10:5000/app?connect_timeout=5"
                + "&sslmode=verify-full&sslrootcert=" + java.net.URLEncoder.encode(ca, java.nio.charset.StandardCharsets.UTF_8)
                + "&sslcert=" + java.net.URLEncoder.encode(dir.resolve("certs/app.crt").toString(), java.nio.charset.StandardCharsets.UTF_8)
                + "&sslkey=" + java.net.URLEncoder.encode(dir.resolve("certs/app.key").toString(), java.nio.charset.StandardCharsets.UTF_8));
        assertThat(withSsl.resolve(write(Via.haproxy, Format.libpq)).dsn()).endsWith(" sslmode=verify-full sslrootcert='" + ca
                + "' sslcert='" + dir.resolve("certs/app.crt") + "' sslkey='" + dir.resolve("certs/app.key") + "'");
        // pgjdbc reads the client key only as PKCS#8 DER, which libpq does not: a JDBC string names what both read alike
        assertThat(withSsl.resolve(write(Via.haproxy, Format.jdbc)).dsn()).endsWith("&sslmode=verify-full&sslrootcert="
                + java.net.URLEncoder.encode(ca, java.nio.charset.StandardCharsets.UTF_8));
        assertThat(withSsl.resolve(write(Via.pgbouncer, Format.url)).dsn()).isEqualTo("postgresql://app@10.1.0.10:6432/app?connect_timeout=5");
    }

    @Test
    void through_haproxy_writes_use_the_write_port_and_reads_the_read_port_without_pooling_settings() {
        Dsn write = service.resolve(write(Via.haproxy, Format.jdbc));
        assertThat(write.dsn()).isEqualTo("jdbc:postgresql://10.1.0.10:5000/app?user=app&connectTimeout=5");
        Dsn read = service.resolve(new Request(Role.read, true, null, Format.prisma, null, false));
        assertThat(read.via()).isEqualTo(Via.haproxy);
        assertThat(read.port()).isEqualTo(5001);
        assertThat(read.dsn()).doesNotContain("pgbouncer=true");
    }

    @Test
    void the_password_is_left_out_unless_asked_for() {
        for (Format f : Format.values()) {
            Dsn without = service.resolve(write(null, f));
            assertThat(without.dsn()).doesNotContain(APP_PASSWORD).doesNotContain("password");
            assertThat(without.containsPassword()).isFalse();
            Dsn with = service.resolve(new Request(Role.write, false, null, f, null, true));
            assertThat(with.dsn()).contains(APP_PASSWORD);
            assertThat(with.containsPassword()).isTrue();
        }
    }

    @Test
    void a_named_member_without_a_role_needs_no_connection() {
        Dsn dsn = service.resolve(new Request(Role.write, false, null, Format.libpq, "pg2", false));
        assertThat(dsn.via()).isEqualTo(Via.direct);
        assertThat(dsn.member()).isEqualTo("pg2");
        assertThat(dsn.dsn()).isEqualTo("host=10.1.0.12 port=5432 dbname=app user=app connect_timeout=5");
    }

    @Test
    void contradictory_or_unknown_choices_are_usage_errors() {
        assertThatThrownBy(() -> service.resolve(new Request(Role.read, true, Via.pgbouncer, Format.url, null, false)))
                .hasMessageContaining("PgBouncer fronts the write path only");
        assertThatThrownBy(() -> service.resolve(new Request(Role.write, false, Via.haproxy, Format.url, "pg1", false)))
                .hasMessageContaining("--member names a member to connect to directly");
        assertThatThrownBy(() -> service.resolve(new Request(Role.write, false, null, Format.url, "pg9", false)))
                .hasMessage("no member 'pg9' in the cluster file (members: pg1, pg2)");
        for (Request r : List.of(new Request(Role.read, true, Via.pgbouncer, Format.url, null, false),
                new Request(Role.write, false, null, Format.url, "pg9", false))) {
            assertThatThrownBy(() -> service.resolve(r)).satisfies(e ->
                    assertThat(((ConnectError) e).kind()).isEqualTo(ConnectError.Kind.INVALID_INPUT));
        }
    }

    @Test
    void direct_writes_go_to_the_one_member_postgresql_calls_primary() {
        Map<MemberSpec, NodeState> states = states(false, true);
        assertThat(DsnService.choose(states, List.of(), Role.write).name()).isEqualTo("pg1");
        assertThat(DsnService.choose(states(true, false), List.of(), Role.write).name()).isEqualTo("pg2");
    }

    @Test
    void two_primaries_are_split_brain_and_no_dsn() {
        assertThatThrownBy(() -> DsnService.choose(states(false, false), List.of(), Role.write))
                .hasMessageContaining("pg1 and pg2 all accept writes").hasMessageContaining("split brain");
    }

    @Test
    void direct_reads_prefer_a_streaming_replica() {
        Map<MemberSpec, NodeState> states = new LinkedHashMap<>();
        states.put(member("pg1"), node(true, null));
        states.put(member("pg2"), node(true, "streaming"));
        assertThat(DsnService.choose(states, List.of(), Role.read).name()).isEqualTo("pg2");
        assertThatThrownBy(() -> DsnService.choose(states(false), List.of(), Role.read)).hasMessageContaining("no member that answered is a replica");
    }

    @Test
    void when_no_member_answers_the_first_failure_is_the_error_and_credentials_come_first() {
        ConnectError down = ConnectError.unreachable("PostgreSQL on pg1", "10.1.0.11:5432", Duration.ofSeconds(1), "refused", null);
        ConnectError auth = ConnectError.authenticationFailed("PostgreSQL on pg2", "10.1.0.12:5432", null);
        assertThatThrownBy(() -> DsnService.choose(Map.of(), List.of(down), Role.write)).isSameAs(down);
        assertThatThrownBy(() -> DsnService.choose(Map.of(), List.of(down, auth), Role.write)).isSameAs(auth);
        assertThatThrownBy(() -> DsnService.choose(states(true), List.of(down), Role.write))
                .hasMessageContaining("no member that answered is a primary").hasMessageContaining("not answering: could not reach PostgreSQL on pg1");
    }

    private static Request write(Via via, Format format) {
        return new Request(Role.write, false, via, format, null, false);
    }

    private static Map<MemberSpec, NodeState> states(boolean... inRecovery) {
        Map<MemberSpec, NodeState> states = new LinkedHashMap<>();
        for (int i = 0; i < inRecovery.length; i++) {
            states.put(member("pg" + (i + 1)), node(inRecovery[i], inRecovery[i] ? "streaming" : null));
        }
        return states;
    }

    private static MemberSpec member(String name) {
        return cluster.spec().member(name).orElseThrow();
    }

    private static NodeState node(boolean inRecovery, String receiver) {
        return new NodeState(inRecovery, inRecovery ? null : 100L, null, inRecovery ? 100L : null, null, 1, receiver, false);
    }
}
