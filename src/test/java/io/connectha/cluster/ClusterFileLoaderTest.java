package io.connectha.cluster;

import io.connectha.support.TestClusters;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ClusterFileLoaderTest {

    @TempDir
    Path dir;

    private final ClusterFileLoader loader = new ClusterFileLoader(Map.of());

    private ClusterFileException problem(String yaml) {
        Path file = dir.resolve("cluster.yaml");
        try {
            Files.writeString(file, yaml);
        } catch (IOException e) {
            throw new RuntimeException(e);
        }
        return (ClusterFileException) org.assertj.core.api.Assertions.catchThrowable(() -> loader.load(file));
    }

    @Test
    void the_example_loads_with_defaults_filled_in() throws IOException {
        ClusterSpec spec = new ClusterFileLoader(TestClusters.exampleSecrets()).load(TestClusters.EXAMPLE).spec();
        assertThat(spec.name()).isEqualTo("demo");
        assertThat(spec.members()).extracting(MemberSpec::name).containsExactly("pg1", "pg2", "pg3");
        assertThat(spec.members().get(1).dataDir()).isEqualTo("/var/lib/postgresql/15/pg2");
        assertThat(spec.members().get(1).patroniPort()).isEqualTo(8008);
        assertThat(spec.patroni().maximumLagOnFailover().bytes()).isEqualTo(1 << 20);
        assertThat(spec.etcd().endpoints()).containsExactly("http://10.0.1.21:2379", "http://10.0.1.22:2379", "http://10.0.1.23:2379");
        assertThat(spec.pgbouncer().poolMode()).isEqualTo(PgbouncerSpec.PoolMode.transaction);
        assertThat(spec.secrets().superuser().env()).isEqualTo("CONNECT_SUPERUSER_PASSWORD");
    }

    @Test
    void a_minimal_file_gets_every_default() throws IOException {
        Path file = dir.resolve("cluster.yaml");
        Files.writeString(file, TestClusters.minimal(dir));
        ClusterSpec spec = loader.load(file).spec();
        assertThat(spec.postgresql().binDir()).isEqualTo("/usr/lib/postgresql/15/bin");
        assertThat(spec.patroni().scope()).isEqualTo("test");
        assertThat(spec.patroni().namespace()).isEqualTo("/service");
        assertThat(spec.patroni().ttl()).isEqualTo(30);
        assertThat(spec.pgbouncer().host()).isEqualTo("10.1.0.10");
        assertThat(spec.pgbouncer().databases()).extracting(PgbouncerDatabase::name, PgbouncerDatabase::dbname).containsExactly(org.assertj.core.groups.Tuple.tuple("app", "app"));
        assertThat(spec.drills()).isEqualTo(ClusterSpec.DrillPolicy.forbidden);
    }

    @Test
    void an_unknown_field_names_the_field_its_place_and_the_known_ones() throws IOException {
        ClusterFileException e = problem(TestClusters.minimal(dir).replace("    host: 10.1.0.12", "    host: 10.1.0.12\n    hots: x"));
        assertThat(e.getMessage()).contains("cluster.yaml:9:5:").contains("members[1]: unknown field 'hots'")
                .contains("known fields: data_dir, host, name, patroni_port, port, tags");
    }

    @Test
    void a_wrong_type_says_what_was_expected() throws IOException {
        ClusterFileException e = problem(TestClusters.minimal(dir).replace("    host: 10.1.0.12", "    host: 10.1.0.12\n    port: five"));
        assertThat(e.getMessage()).contains("cluster.yaml:9:11:").contains("members[1].port: expected an integer, got 'five'");
    }

    @Test
    void a_drill_fault_command_must_be_an_absolute_path() throws IOException {
        ClusterFileException e = problem(TestClusters.minimal(dir) + "drill_fault_command: fault.sh\n");
        assertThat(e.getMessage()).contains("drill_fault_command: 'fault.sh' is not an absolute path");
        Path file = dir.resolve("ok.yaml");
        Files.writeString(file, TestClusters.minimal(dir) + "drill_fault_command: /usr/local/lib/connect/fault.sh\n");
        assertThat(new ClusterFileLoader().load(file).spec().drillFaultCommand()).isEqualTo("/usr/local/lib/connect/fault.sh");
    }

    @Test
    void a_bad_enum_lists_the_choices() throws IOException {
        ClusterFileException e = problem(TestClusters.minimal(dir) + "pgbouncer:\n  pool_mode: sometimes\n");
        assertThat(e.getMessage()).contains("pgbouncer.pool_mode: expected one of session, transaction, statement, got 'sometimes'");
    }

    @Test
    void a_port_out_of_range_is_refused_at_its_line() throws IOException {
        ClusterFileException e = problem(TestClusters.minimal(dir).replace("    host: 10.1.0.12", "    host: 10.1.0.12\n    port: 70000"));
        assertThat(e.getMessage()).contains("cluster.yaml:9:11: members[1].port: 70000 is out of range (1-65535)");
    }

    @Test
    void a_quoted_or_fractional_port_is_refused_at_its_value_on_one_line() throws IOException {
        ClusterFileException quoted = problem(TestClusters.minimal(dir).replace("    host: 10.1.0.12", "    host: 10.1.0.12\n    port: \"5432\""));
        assertThat(quoted.getMessage().lines()).containsExactly(dir.resolve("cluster.yaml") + ":9:11: members[1].port: expected an integer, got '5432' (quoted: a string)");
        ClusterFileException fraction = problem(TestClusters.minimal(dir).replace("    host: 10.1.0.12", "    host: 10.1.0.12\n    port: 5432.9"));
        assertThat(fraction.getMessage().lines()).containsExactly(dir.resolve("cluster.yaml") + ":9:11: members[1].port: expected an integer, got '5432.9'");
    }

    @Test
    void a_memory_of_0_or_beyond_what_fits_is_refused_on_one_line() throws IOException {
        ClusterFileException zero = problem(TestClusters.minimal(dir).replace("  memory: 1GB", "  memory: 0"));
        assertThat(zero.getMessage().lines()).singleElement().asString().matches(".*cluster\\.yaml:\\d+:11: postgresql\\.memory: memory must be more than 0");
        ClusterFileException huge = problem(TestClusters.minimal(dir).replace("  memory: 1GB", "  memory: 99999999TB"));
        assertThat(huge.getMessage().lines()).singleElement().asString()
                .matches(".*cluster\\.yaml:\\d+:11: postgresql\\.memory: '99999999TB' is too large a size");
    }

    @Test
    void a_check_threshold_or_timeout_of_0_is_refused() throws IOException {
        ClusterFileException e = problem(TestClusters.minimal(dir) + "checks:\n  lag_critical: 0\n  timeout: 0s\n");
        assertThat(e.problems()).extracting(ClusterFileProblem::message).contains(
                "checks.lag_critical: lag_critical must be more than 0", "checks.timeout: timeout must be more than 0");
    }

    @Test
    void a_duplicate_member_name_is_refused() throws IOException {
        ClusterFileException e = problem(TestClusters.minimal(dir).replace("name: pg2", "name: pg1"));
        assertThat(e.getMessage()).contains("cluster.yaml:7:11: members[1].name: duplicate member name 'pg1' (also members[0])");
    }

    @Test
    void a_duplicate_address_and_port_is_refused_across_components() throws IOException {
        ClusterFileException e = problem(TestClusters.minimal(dir).replace("haproxy:\n  host: 10.1.0.10",
                "haproxy:\n  host: 10.1.0.11\n  write_port: 5432"));
        assertThat(e.getMessage()).contains(":14:15: haproxy.write_port: address 10.1.0.11:5432 is already used by members[0].port")
                .doesNotContain("more problem");
    }

    private LoadedCluster loads(String yaml) throws IOException {
        Path file = dir.resolve("cluster.yaml");
        Files.writeString(file, yaml);
        return loader.load(file);
    }

    @Test
    void timings_that_break_patronis_rule_are_a_warning_with_a_position_not_a_refusal() throws IOException {
        LoadedCluster c = loads(TestClusters.minimal(dir) + "patroni:\n  ttl: 10\n  loop_wait: 2\n  retry_timeout: 5\n");
        assertThat(c.spec().patroni().ttl()).isEqualTo(10);
        assertThat(c.warnings()).singleElement().satisfies(w -> {
            assertThat(w.line()).isEqualTo(23);
            assertThat(w.column()).isEqualTo(8);
            assertThat(w.message()).isEqualTo("patroni.ttl: ttl 10 is smaller than loop_wait + 2 x retry_timeout = 2 + 2 x 5 = 12; "
                    + "the leader could lose its key while retrying");
        });
    }

    @Test
    void a_port_in_the_ephemeral_range_is_a_warning_that_names_the_risk() throws IOException {
        LoadedCluster c = loads(TestClusters.minimal(dir).replace("host: 10.1.0.11\n", "host: 10.1.0.11\n    port: 40000\n"));
        assertThat(c.warnings()).singleElement().satisfies(w -> assertThat(w.message())
                .startsWith("members[0].port: port 40000 is in Linux's ephemeral range (32768-60999)")
                .contains("the listener then cannot start"));
        assertThat(loads(TestClusters.minimal(dir)).warnings()).isEmpty();
    }

    @Test
    void fields_for_a_cluster_connect_did_not_build() throws IOException {
        ClusterSpec spec = loads(TestClusters.minimal(dir) + """
                patroni:
                  rest_api_auth: none
                  rest_api_tls: {ca_file: certs/ca.crt}
                pgbouncer:
                  databases:
                    - app
                    - {name: orders_rw, dbname: orders}
                postgresql2: x
                """.replace("postgresql2: x\n", "") + """
                etcd2: x
                """.replace("etcd2: x\n", "")).spec();
        assertThat(spec.patroni().restApiAuth()).isEqualTo(PatroniSpec.RestApiAuth.none);
        assertThat(spec.patroni().restScheme()).isEqualTo("https");
        assertThat(spec.patroni().restApiTls().caFile()).isEqualTo(dir.resolve("certs/ca.crt").toString());
        assertThat(spec.patroni().restApiTls().certFile()).isNull();
        assertThat(spec.pgbouncer().databases()).extracting(PgbouncerDatabase::name, PgbouncerDatabase::dbname)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("app", "app"), org.assertj.core.groups.Tuple.tuple("orders_rw", "orders"));
        assertThat(spec.haproxy().writeBackend()).isEqualTo("write");
        assertThat(spec.haproxy().readBackend()).isEqualTo("read");
        assertThat(spec.etcd().endpoints()).containsExactly("http://10.1.0.21:2379");
        assertThat(spec.postgresql().sslmode()).isNull();
    }

    @Test
    void haproxy_backend_names_etcd_tls_and_postgres_ssl_are_read() throws IOException {
        String yaml = TestClusters.minimal(dir)
                .replace("haproxy:\n  host: 10.1.0.10\n", "haproxy:\n  host: 10.1.0.10\n  write_backend: pg_primary\n  read_backend: pg-replicas.v2\n")
                .replace("    - {name: etcd1, host: 10.1.0.21}\n", "    - {name: etcd1, host: 10.1.0.21}\n  tls: {ca_file: /etc/etcd/ca.pem, cert_file: c.pem, key_file: c.key}\n")
                .replace("  memory: 1GB\n", "  memory: 1GB\n  sslmode: verify-ca\n  ssl_root_cert: /etc/ssl/pg-ca.crt\n");
        ClusterSpec spec = loads(yaml).spec();
        assertThat(spec.haproxy().writeBackend()).isEqualTo("pg_primary");
        assertThat(spec.haproxy().readBackend()).isEqualTo("pg-replicas.v2");
        assertThat(spec.etcd().endpoints()).containsExactly("https://10.1.0.21:2379");
        assertThat(spec.etcd().tls().certFile()).isEqualTo(dir.resolve("c.pem").toString());
        assertThat(spec.postgresql().sslmode()).isEqualTo(PostgresSpec.SslMode.verify_ca);
        assertThat(spec.postgresql().sslmode().libpqName()).isEqualTo("verify-ca");
        assertThat(spec.postgresql().sslRootCert()).isEqualTo("/etc/ssl/pg-ca.crt");
    }

    @Test
    void bad_adoption_fields_are_refused_where_they_are() throws IOException {
        assertThat(problem(TestClusters.minimal(dir).replace("haproxy:\n  host: 10.1.0.10\n",
                "haproxy:\n  host: 10.1.0.10\n  write_backend: 'pg primary'\n")).getMessage())
                .contains("haproxy.write_backend: 'pg primary' is not a valid HAProxy backend name");
        assertThat(problem(TestClusters.minimal(dir) + "pgbouncer:\n  databases:\n    - app\n    - {name: app, dbname: other}\n").getMessage())
                .contains("pgbouncer.databases[1].name: duplicate PgBouncer database 'app' (also databases[0])");
        assertThat(problem(TestClusters.minimal(dir) + "patroni:\n  rest_api_tls: {cert_file: c.pem}\n").getMessage())
                .contains("23:29: patroni.rest_api_tls.cert_file: a client certificate needs both cert_file and key_file");
        assertThat(problem(TestClusters.minimal(dir) + "patroni:\n  rest_api_auth: digest\n").getMessage())
                .contains("patroni.rest_api_auth");
        assertThat(problem(TestClusters.minimal(dir).replace("  memory: 1GB\n", "  memory: 1GB\n  sslmode: verify\n")).getMessage())
                .contains("postgresql.sslmode");
    }

    @Test
    void a_password_written_inline_is_refused() throws IOException {
        ClusterFileException e = problem(TestClusters.minimal(dir).replaceFirst("  superuser: \\{file: [^}]*}", "  superuser: {password: s3cr3t-Value}"));
        assertThat(e.getMessage()).contains("secrets.superuser.password: password written inline")
                .doesNotContain("s3cr3t-Value");
    }

    @Test
    void a_password_anywhere_else_is_refused_as_inline_too() throws IOException {
        ClusterFileException e = problem(TestClusters.minimal(dir).replace("    host: 10.1.0.12", "    host: 10.1.0.12\n    password: Tr0ub4dor-pw"));
        assertThat(e.getMessage()).contains("cluster.yaml:9:").contains("members[1].password: password written inline")
                .doesNotContain("Tr0ub4dor-pw");
    }

    @Test
    void a_bare_string_secret_is_an_inline_password() throws IOException {
        ClusterFileException e = problem(TestClusters.minimal(dir).replaceFirst("  app: \\{file: [^}]*}", "  app: hunter2-real"));
        assertThat(e.getMessage()).contains("secrets.app: password written inline").doesNotContain("hunter2-real");
    }

    @Test
    void a_placeholder_password_is_named_as_such() throws IOException {
        ClusterFileException e = problem(TestClusters.minimal(dir).replaceFirst("  app: \\{file: [^}]*}", "  app: {password: CHANGE_ME}"));
        assertThat(e.getMessage()).contains("placeholder password 'CHANGE_ME' written inline");
    }

    @Test
    void a_placeholder_in_a_secret_file_is_refused() throws IOException {
        TestClusters.writeSecret(dir.resolve("app.password"), "changeme");
        ClusterFileException e = problem(TestClusters.minimal(dir).replace("test-app-pw-7Qz", "x"));
        // minimal() rewrote the file; put the placeholder back after it
        TestClusters.writeSecret(dir.resolve("app.password"), "changeme");
        e = problem(Files.readString(dir.resolve("cluster.yaml")));
        assertThat(e.getMessage()).contains("secrets.app.file: secret file").contains("holds a placeholder password");
    }

    @Test
    void a_placeholder_in_the_environment_is_refused() throws IOException {
        Path file = dir.resolve("cluster.yaml");
        Files.writeString(file, TestClusters.minimal(dir).replaceFirst("  app: \\{file: [^}]*}", "  app: {env: APP_PW}"));
        assertThatThrownBy(() -> new ClusterFileLoader(Map.of("APP_PW", "CHANGE_ME")).load(file))
                .hasMessageContaining("secrets.app.env: environment variable APP_PW holds a placeholder password");
    }

    @Test
    void a_secret_file_readable_by_others_is_refused() throws IOException {
        String yaml = TestClusters.minimal(dir);
        Files.setPosixFilePermissions(dir.resolve("replication.password"), PosixFilePermissions.fromString("rw-r--r--"));
        ClusterFileException e = problem(yaml);
        assertThat(e.getMessage()).contains("secrets.replication.file: secret file").contains("has mode 0644: readable by its group and by others; it must be 0600 or stricter");
    }

    @Test
    void a_secret_with_two_sources_is_refused() throws IOException {
        ClusterFileException e = problem(TestClusters.minimal(dir).replaceFirst("  app: \\{file: ([^}]*)}", "  app: {file: $1, env: X}"));
        assertThat(e.getMessage()).contains("secrets.app: give exactly one of env, file or pgpass: true");
    }

    @Test
    void an_even_number_of_etcd_members_is_refused() throws IOException {
        ClusterFileException e = problem(TestClusters.minimal(dir).replace("    - {name: etcd1, host: 10.1.0.21}",
                "    - {name: etcd1, host: 10.1.0.21}\n    - {name: etcd2, host: 10.1.0.22}"));
        assertThat(e.getMessage()).contains("etcd.members: 2 etcd members: use an odd number");
    }

    @Test
    void invalid_yaml_gives_its_position() {
        ClusterFileException e = problem("name: test\nmembers: [\n");
        assertThat(e.getMessage()).startsWith(dir.resolve("cluster.yaml") + ":").contains("invalid YAML");
    }

    @Test
    void several_problems_report_the_first_and_count_the_rest() throws IOException {
        ClusterFileException e = problem(TestClusters.minimal(dir).replace("name: pg2", "name: pg1")
                .replace("    host: 10.1.0.12", "    host: 10.1.0.12\n    port: 0"));
        assertThat(e.getMessage()).contains("duplicate member name").contains("(and 1 more problem)");
        assertThat(e.getMessage()).doesNotContain("\n");
    }

    @Test
    void a_duplicate_key_is_refused() throws IOException {
        ClusterFileException e = problem(TestClusters.minimal(dir).replace("name: test\n", "name: test\nname: other\n"));
        assertThat(e.getMessage()).contains("cluster.yaml:2:").contains("Duplicate field 'name'");
    }

    @Test
    void parameters_that_the_file_sets_itself_are_refused() throws IOException {
        ClusterFileException e = problem(TestClusters.minimal(dir).replace("  memory: 1GB", "  memory: 1GB\n  parameters:\n    port: 5433"));
        assertThat(e.getMessage()).contains(":5:11: postgresql.parameters.port: port is managed by connect");
    }

    @Test
    void the_app_user_and_pgbouncer_admin_must_differ() throws IOException {
        ClusterFileException e = problem(TestClusters.minimal(dir) + "pgbouncer:\n  admin_user: app\n");
        assertThat(e.getMessage()).contains("pgbouncer.admin_user: PgBouncer's admin user must not be the app user 'app'");
    }

    @Test
    void a_wildcard_front_address_is_refused() throws IOException {
        ClusterFileException e = problem(TestClusters.minimal(dir).replace("  host: 10.1.0.10", "  host: 0.0.0.0"));
        // pgbouncer.host defaults to haproxy.host, so both are reported
        assertThat(e.getMessage()).contains("host: give the address others connect to, not the wildcard '0.0.0.0' (and 1 more problem)");
    }

    @Test
    void an_empty_file_says_so() {
        assertThat(problem("# nothing yet\n").getMessage()).endsWith("cluster.yaml:1:1: the cluster file is empty");
    }

    @Test
    void a_missing_section_keeps_its_path() throws IOException {
        ClusterFileException e = problem(TestClusters.minimal(dir).replace("etcd:\n  members:\n    - {name: etcd1, host: 10.1.0.21}\n", ""));
        assertThat(e.getMessage()).contains("etcd: etcd needs at least one member");
    }

    @Test
    void a_missing_file_says_how_to_name_one() {
        assertThatThrownBy(() -> loader.load(dir.resolve("nope.yaml")))
                .hasMessageContaining("no such cluster file (give one with -c FILE or CONNECT_CLUSTER)");
    }

    @Test
    void bytes_that_are_not_utf8_are_reported_at_their_line_column_and_offset() {
        // "é" is two bytes and one column: the column counts characters, the offset bytes
        byte[] bytes = "name: d\u00e9mo\nmembers: [\u00e9".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] bad = java.util.Arrays.copyOf(bytes, bytes.length + 2);
        bad[bytes.length] = (byte) 0xff;
        bad[bytes.length + 1] = '\n';
        Path file = dir.resolve("latin1.yaml");
        assertThatThrownBy(() -> ClusterFileLoader.decodeUtf8(file, bad))
                .hasMessage(file + ":2:12: not a text file (invalid UTF-8 at byte " + bytes.length
                        + "); a cluster file is YAML in UTF-8");
        assertThat(ClusterFileLoader.decodeUtf8(file, bytes)).isEqualTo("name: d\u00e9mo\nmembers: [\u00e9");
    }

    @Test
    void yaml_errors_are_at_the_problem_and_say_it_without_parser_internals() {
        assertThatThrownBy(() -> loader.parse(dir.resolve("c.yaml"), "name: x\nmembers:\n\t- name: a\n"))
                .hasMessage(dir.resolve("c.yaml") + ":3:1: invalid YAML: a tab character; YAML indents with spaces only");
        assertThatThrownBy(() -> loader.parse(dir.resolve("c.yaml"), "name: x\n\nx: " + "[".repeat(1200) + "\n"))
                .hasMessageStartingWith(dir.resolve("c.yaml") + ":3:")
                .hasMessageEndingWith(": invalid YAML: nested too deeply (more than 1000 levels)")
                .message().doesNotContain("StreamReadConstraints");
    }
}
