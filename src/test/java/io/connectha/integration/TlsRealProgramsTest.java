package io.connectha.integration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.connectha.cli.ExitCodes;
import io.connectha.process.ProcessController;
import io.connectha.process.ProcessController.ProcessSpec;
import io.connectha.support.CommandRun;
import io.connectha.support.Scratch;
import io.connectha.support.TestClusters;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * connect's clients over TLS against the real programs, with certificates made here by openssl: etcd
 * with {@code --client-cert-auth} (the client key in PKCS#1 RSA), Patroni's REST API over https without
 * authentication (its etcd3 over the same TLS), and the PostgreSQL Patroni runs with {@code ssl = on},
 * read with {@code sslmode: verify-ca}. The negative cases use a second CA that signed nothing here.
 * Ports from {@code connect.test.tls-port-base} (default 29100).
 */
@Tag("integration")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class TlsRealProgramsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int BASE = Integer.getInteger("connect.test.tls-port-base", 29100);
    private static final int ETCD = BASE + 1, ETCD_PEER = BASE + 2, PG = BASE + 3, REST = BASE + 4;

    static Scratch scratch;
    static Path certs;
    static Path cluster;

    @BeforeAll
    static void start() throws Exception {
        scratch = new Scratch("connect-tls-");
        certs = scratch.dir("certs");
        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=connect test CA",
                "-keyout", "ca.key", "-out", "ca.crt");
        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=some other CA",
                "-keyout", "other-ca.key", "-out", "other-ca.crt");
        // server: PKCS#8 key, IP SAN 127.0.0.1 (hostname verification against the address connect uses)
        openssl("req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=127.0.0.1", "-keyout", "server.key", "-out", "server.csr");
        Files.writeString(certs.resolve("server.ext"), "subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth,clientAuth\n");
        openssl("x509", "-req", "-in", "server.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial", "-days", "2",
                "-extfile", "server.ext", "-out", "server.crt");
        // client: the key as PKCS#1 RSA (BEGIN RSA PRIVATE KEY), as older tooling writes it
        openssl("genrsa", "-traditional", "-out", "client.key", "2048");
        openssl("req", "-new", "-key", "client.key", "-subj", "/CN=connect", "-out", "client.csr");
        Files.writeString(certs.resolve("client.ext"), "extendedKeyUsage=clientAuth\n");
        openssl("x509", "-req", "-in", "client.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial", "-days", "2",
                "-extfile", "client.ext", "-out", "client.crt");
        assertThat(Files.readString(certs.resolve("client.key"))).startsWith("-----BEGIN RSA PRIVATE KEY-----");
        assertThat(Files.readString(certs.resolve("server.key"))).startsWith("-----BEGIN PRIVATE KEY-----");

        Path etcdData = scratch.dir("etcd");
        Files.setPosixFilePermissions(etcdData, PosixFilePermissions.fromString("rwx------"));
        scratch.start(ProcessSpec.of("etcd", scratch.log("etcd"), false, "etcd", "--name", "e1", "--data-dir", etcdData.toString(),
                "--listen-client-urls", "https://127.0.0.1:" + ETCD, "--advertise-client-urls", "https://127.0.0.1:" + ETCD,
                "--listen-peer-urls", "http://127.0.0.1:" + ETCD_PEER, "--initial-advertise-peer-urls", "http://127.0.0.1:" + ETCD_PEER,
                "--initial-cluster", "e1=http://127.0.0.1:" + ETCD_PEER, "--cert-file", cert("server.crt"),
                "--key-file", cert("server.key"), "--trusted-ca-file", cert("ca.crt"), "--client-cert-auth"));
        ProcessController.awaitReady("etcd over TLS", Duration.ofSeconds(30), Duration.ofMillis(200), () -> {
            ProcessController.Result r = scratch.run("etcdctl", false, "etcdctl", "--endpoints", "https://127.0.0.1:" + ETCD,
                    "--cacert", cert("ca.crt"), "--cert", cert("client.crt"), "--key", cert("client.key"), "endpoint", "health");
            return r.ok();
        });

        // Patroni and its PostgreSQL run as postgres: they get their own copy of the server key, mode 0600
        Path pgCerts = scratch.dir("pg-certs");
        for (String f : new String[]{"ca.crt", "server.crt", "server.key", "client.crt", "client.key"}) {
            Files.copy(certs.resolve(f), pgCerts.resolve(f));
            Files.setPosixFilePermissions(pgCerts.resolve(f), PosixFilePermissions.fromString("rw-------"));
        }
        Path sock = scratch.dir("sock");
        Path data = scratch.dir("pgdata");
        Path patroniYml = scratch.root().resolve("patroni.yml");
        Files.writeString(patroniYml, """
                scope: tlsit
                namespace: /tlsit
                name: pg1
                restapi:
                  listen: 127.0.0.1:%2$d
                  connect_address: 127.0.0.1:%2$d
                  certfile: %1$s/server.crt
                  keyfile: %1$s/server.key
                etcd3:
                  hosts: 127.0.0.1:%3$d
                  protocol: https
                  cacert: %1$s/ca.crt
                  cert: %1$s/client.crt
                  key: %1$s/client.key
                bootstrap:
                  dcs: {ttl: 30, loop_wait: 2, retry_timeout: 10}
                  initdb: [{encoding: UTF8}, {locale: C.UTF-8}, {auth-host: scram-sha-256}]
                postgresql:
                  listen: 127.0.0.1:%4$d
                  connect_address: 127.0.0.1:%4$d
                  data_dir: %5$s/pg1
                  bin_dir: /usr/lib/postgresql/15/bin
                  pg_hba:
                    - local all all trust
                    - hostssl all all 127.0.0.1/32 scram-sha-256
                    - hostssl replication replicator 127.0.0.1/32 scram-sha-256
                  authentication:
                    superuser: {username: postgres, password: tls-super}
                    replication: {username: replicator, password: tls-repl}
                  parameters:
                    ssl: 'on'
                    ssl_cert_file: %1$s/server.crt
                    ssl_key_file: %1$s/server.key
                    unix_socket_directories: %6$s
                """.formatted(pgCerts, REST, ETCD, PG, data, sock));
        scratch.giveToPostgres(scratch.root());
        scratch.start(ProcessSpec.of("patroni", scratch.log("patroni"), true, "patroni", patroniYml.toString()));
        ProcessController.awaitReady("Patroni leader over https", Duration.ofSeconds(90), Duration.ofMillis(500), () -> {
            ProcessController.Result r = scratch.run("curl", false, "curl", "-sf", "--cacert", cert("ca.crt"),
                    "https://127.0.0.1:" + REST + "/primary");
            return r.ok();
        });

        Path secrets = scratch.dir("secrets");
        TestClusters.writeSecret(secrets.resolve("superuser"), "tls-super");
        cluster = writeCluster("cluster.yaml", "certs/ca.crt", "certs/ca.crt", "certs/ca.crt", true);
        // jetcd's first call in this JVM loads gRPC, Netty and Vert.x (thousands of classes) inside the 2 s
        // request deadline; on a busy two-core machine that alone can spend it. bin/connect starts from its
        // class-data cache (measured here: etcd status 2.4 s wall over TLS, 2.2 s plain, load 17): load them once
        CommandRun.of("ha", "etcd", "members", "-c", cluster.toString());
    }

    /** A cluster file beside the certs; the CAs are given per component, so a test can break one. */
    static Path writeCluster(String name, String etcdCa, String restCa, String pgCa, boolean clientCert) throws IOException {
        Path file = scratch.root().resolve(name);
        Files.writeString(file, """
                name: tlsit
                postgresql:
                  port: %1$d
                  sslmode: verify-ca
                  ssl_root_cert: %2$s
                members:
                  - {name: pg1, host: 127.0.0.1, port: %1$d, patroni_port: %3$d}
                etcd:
                  members:
                    - {name: e1, host: 127.0.0.1, client_port: %4$d, peer_port: %5$d}
                  tls:
                    ca_file: %6$s
                %7$s
                patroni:
                  scope: tlsit
                  namespace: /tlsit
                  rest_api_auth: none
                  rest_api_tls:
                    ca_file: %8$s
                secrets:
                  superuser: {file: secrets/superuser}
                """.formatted(PG, pgCa, REST, ETCD, ETCD_PEER, etcdCa,
                clientCert ? "    cert_file: certs/client.crt\n    key_file: certs/client.key" : "", restCa));
        return file;
    }

    @AfterAll
    static void stop() throws IOException {
        if (scratch != null) {
            scratch.close();
        }
    }

    @Test
    @Order(1)
    void etcd_status_and_members_over_tls_with_a_client_certificate() throws Exception {
        CommandRun status = CommandRun.of("ha", "etcd", "status", "-c", cluster.toString(), "-o", "json");
        assertThat(status.exitCode()).as(status.err()).isZero();
        JsonNode endpoint = JSON.readTree(status.out()).path("endpoints").get(0);
        assertThat(endpoint.path("endpoint").asText()).isEqualTo("https://127.0.0.1:" + ETCD);
        assertThat(endpoint.path("reachable").asBoolean()).isTrue();
        assertThat(endpoint.path("member").asText()).isEqualTo("e1");
        assertThat(endpoint.path("version").asText()).matches("3\\.\\d+\\.\\d+");

        CommandRun members = CommandRun.of("ha", "etcd", "members", "-c", cluster.toString(), "-o", "json");
        assertThat(members.exitCode()).as(members.err()).isZero();
        JsonNode member = JSON.readTree(members.out()).get(0);
        assertThat(member.path("name").asText()).isEqualTo("e1");
        assertThat(member.toString()).contains("https://127.0.0.1:" + ETCD);
    }

    @Test
    @Order(2)
    void etcd_with_the_wrong_ca_is_one_line_naming_etcd_its_address_and_the_ca() throws Exception {
        Path wrong = writeCluster("wrong-etcd-ca.yaml", "certs/other-ca.crt", "certs/ca.crt", "certs/ca.crt", true);
        CommandRun run = CommandRun.of("ha", "etcd", "members", "-c", wrong.toString());
        assertThat(run.exitCode()).isEqualTo(ExitCodes.UNREACHABLE);
        assertThat(run.err().strip()).isEqualTo("connect: could not reach etcd at 127.0.0.1:" + ETCD
                + " over TLS: its certificate is not signed by the CA in " + certs.resolve("other-ca.crt"));
    }

    @Test
    @Order(3)
    void etcd_that_asks_for_a_client_certificate_says_so_when_none_is_set() throws Exception {
        Path none = writeCluster("no-client-cert.yaml", "certs/ca.crt", "certs/ca.crt", "certs/ca.crt", false);
        CommandRun run = CommandRun.of("ha", "etcd", "members", "-c", none.toString());
        assertThat(run.exitCode()).isEqualTo(ExitCodes.UNREACHABLE);
        assertThat(run.err().strip()).isEqualTo("connect: could not reach etcd at 127.0.0.1:" + ETCD
                + " over TLS: it asks for a client certificate, and none is set (cert_file and key_file)");
        assertThat(run.err().strip().lines().count()).isEqualTo(1);
        assertThat(run.err()).doesNotContain("Exception").doesNotContain("io.netty");
    }

    @Test
    @Order(4)
    void a_missing_ca_file_is_exit_2_naming_the_field() throws Exception {
        Path missing = writeCluster("missing-ca.yaml", "certs/nowhere.crt", "certs/ca.crt", "certs/ca.crt", true);
        CommandRun run = CommandRun.of("ha", "etcd", "status", "-c", missing.toString());
        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err().strip()).isEqualTo("connect: etcd.tls.ca_file: cannot read " + certs.resolve("nowhere.crt")
                + ": no such file or directory");
    }

    @Test
    @Order(5)
    void patroni_list_over_https() throws Exception {
        CommandRun run = CommandRun.of("ha", "patroni", "list", "-c", cluster.toString(), "-o", "json");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("\"pg1\"").containsIgnoringCase("leader");
    }

    @Test
    @Order(6)
    void pause_and_resume_without_a_rest_api_secret_when_rest_api_auth_is_none() throws Exception {
        // no rest_api source in the file and no CONNECT_REST_API_PASSWORD: basic auth would fail to find the secret
        assertThat(System.getenv("CONNECT_REST_API_PASSWORD")).isNull();
        CommandRun pause = CommandRun.of("ha", "patroni", "pause", "-c", cluster.toString());
        assertThat(pause.exitCode()).as(pause.err()).isZero();
        assertThat(curlConfig()).contains("\"pause\": true");
        CommandRun resume = CommandRun.of("ha", "patroni", "resume", "-c", cluster.toString());
        assertThat(resume.exitCode()).as(resume.err()).isZero();
        assertThat(curlConfig()).doesNotContain("\"pause\": true");
    }

    @Test
    @Order(7)
    void patroni_with_the_wrong_ca_is_one_line() throws Exception {
        Path wrong = writeCluster("wrong-rest-ca.yaml", "certs/ca.crt", "certs/other-ca.crt", "certs/ca.crt", true);
        CommandRun run = CommandRun.of("ha", "patroni", "list", "-c", wrong.toString());
        assertThat(run.exitCode()).isEqualTo(ExitCodes.UNREACHABLE);
        assertThat(run.err().strip()).isEqualTo("connect: could not reach Patroni on pg1 at 127.0.0.1:" + REST
                + " over TLS: its certificate is not signed by the CA in " + certs.resolve("other-ca.crt"));
    }

    @Test
    @Order(8)
    void status_reads_etcd_patroni_and_postgresql_over_tls() throws Exception {
        // a first TLS login in a fresh JVM on a busy two-core machine may take more than the default 1 s
        CommandRun run = CommandRun.of("ha", "status", "-c", cluster.toString(), "-o", "json", "--connect-timeout", "5s");
        JsonNode status = JSON.readTree(run.out());
        JsonNode etcd = status.path("etcd");
        assertThat(etcd.toString()).as(run.out()).contains("https://127.0.0.1:" + ETCD);
        assertThat(etcd.path("endpoints").get(0).path("reachable").asBoolean()).as(etcd.toString()).isTrue();
        JsonNode pg1 = status.path("members").get(0);
        assertThat(pg1.path("name").asText()).isEqualTo("pg1");
        assertThat(pg1.path("role").asText()).as(pg1.toString()).isEqualTo("leader");
        assertThat(pg1.toString()).as(pg1.toString()).doesNotContainIgnoringCase("could not reach");
        // the member takes TCP logins over SSL only (hostssl), so status reached it over SSL
        ProcessController.Result plain = scratch.run("psql-plain", false, "psql", "-X", "-At",
                "host=127.0.0.1 port=" + PG + " user=postgres dbname=postgres sslmode=disable password=tls-super", "-c", "SELECT 1");
        assertThat(plain.ok()).isFalse();
        assertThat(plain.output()).contains("no encryption");
    }

    @Test
    @Order(9)
    void postgresql_with_the_wrong_ca_is_one_line() throws Exception {
        Path wrong = writeCluster("wrong-pg-ca.yaml", "certs/ca.crt", "certs/ca.crt", "certs/other-ca.crt", true);
        CommandRun run = CommandRun.of("ha", "dsn", "-c", wrong.toString(), "--member", "pg1", "--write");
        assertThat(run.err().strip()).isEqualTo("connect: could not reach PostgreSQL on pg1 at 127.0.0.1:" + PG
                + " over TLS: its certificate is not signed by the CA in " + certs.resolve("other-ca.crt"));
        assertThat(run.exitCode()).isEqualTo(ExitCodes.UNREACHABLE);
    }

    @Test
    @Order(10)
    void a_dsn_carries_sslmode_and_the_ca() throws Exception {
        CommandRun run = CommandRun.of("ha", "dsn", "-c", cluster.toString(), "--member", "pg1", "--format", "libpq");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out().strip()).endsWith(" sslmode=verify-ca sslrootcert='" + cert("ca.crt") + "'");
    }

    private static int curls;

    private static String curlConfig() {
        ProcessController.Result r = scratch.run("curl-config-" + ++curls, false, "curl", "-sf", "--cacert", cert("ca.crt"),
                "https://127.0.0.1:" + REST + "/config");
        assertThat(r.ok()).as(r.output()).isTrue();
        return r.output().replace("\":", "\": ").replace("\":  ", "\": ");
    }

    private static String cert(String name) {
        return certs.resolve(name).toString();
    }

    private static void openssl(String... args) {
        List<String> command = new ArrayList<>(List.of("sh", "-c", "cd '" + certs + "' && exec openssl \"$@\"", "openssl"));
        command.addAll(List.of(args));
        ProcessController.Result r = scratch.run("openssl", false, command.toArray(new String[0]));
        assertThat(r.ok()).as(r.output()).isTrue();
    }
}
