package io.connectha.integration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.connectha.cli.ExitCodes;
import io.connectha.support.AdoptedStack;
import io.connectha.support.AdoptedStack.Member;
import io.connectha.support.AdoptedStack.Running;
import io.connectha.support.CommandRun;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every read-only command of connect against a stack it did not build ({@link AdoptedStack}): a cluster
 * file written by hand, backends named pg_primary and pg_replicas, members sharing an address, TLS on
 * etcd, Patroni's REST API and PostgreSQL, a REST API without authentication, a PgBouncer alias, and
 * timings connect's rule for new clusters refuses. Each figure is compared with what psql, curl and
 * etcdctl say at the same moment; then etcd is frozen and HAProxy stopped.
 */
@Tag("integration")
@ExtendWith(AdoptedStack.class)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class AdoptedStackTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** status's own deadline: connect timeout 1 s + read timeout 2 s + 0.5 s (docs/status.md). */
    private static final Duration STATUS_DEADLINE = Duration.ofMillis(3500);
    /**
     * What a loaded two-core machine may add to a command run in this JVM beyond its deadline (the first
     * use of jetcd's gRPC stack included): the same 6 s bound as StatusTest's.
     */
    private static final Duration SLACK = Duration.ofMillis(2500);

    private Running stack;

    @BeforeEach
    void stack(Running stack) {
        this.stack = stack;
    }

    @AfterEach
    void whole_again() {
        stack.thawEtcd();
        if (!stack.running("haproxy")) {
            stack.startPart("haproxy");
        }
        stack.awaitReady(Duration.ofSeconds(120));
    }

    record Timed(CommandRun run, Duration took) {
        JsonNode json() {
            try {
                return JSON.readTree(run.out());
            } catch (IOException e) {
                throw new AssertionError("not JSON (exit " + run.exitCode() + "): " + run.out() + run.err(), e);
            }
        }

        List<String> codes() {
            List<String> codes = new ArrayList<>();
            json().path("problems").forEach(p -> codes.add(p.path("code").asText()));
            return codes;
        }

        String why() {
            return "exit " + run.exitCode() + "\nstdout: " + run.out() + "\nstderr: " + run.err();
        }
    }

    private Timed connect(String... args) {
        List<String> all = new ArrayList<>(List.of("ha", "-c", stack.clusterFile().toString()));
        all.addAll(List.of(args));
        long t0 = System.nanoTime();
        CommandRun run = CommandRun.of(all.toArray(String[]::new));
        Duration took = Duration.ofNanos(System.nanoTime() - t0);
        System.err.println("adopted: " + String.join(" ", args) + " took " + took.toMillis() + " ms, exit " + run.exitCode());
        return new Timed(run, took);
    }

    /** Each replica's replay lag in bytes, as the leader's pg_stat_replication says. */
    private Map<String, Long> lagByReplica(Member leader) {
        Map<String, Long> lag = new LinkedHashMap<>();
        for (Map<String, String> row : stack.rows("dba", leader.host(), leader.pgPort(), "postgres",
                "SELECT application_name, state, pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn)::bigint AS lag FROM pg_stat_replication")) {
            assertThat(row.get("state")).as(row.toString()).isEqualTo("streaming");
            lag.put(row.get("application_name"), Long.parseLong(row.get("lag")));
        }
        return lag;
    }

    /** The timeline the leader writes on, from its current WAL file's name. */
    private int timelineOf(Member leader) {
        return Integer.parseInt(stack.sql(leader, "SELECT substr(pg_walfile_name(pg_current_wal_lsn()), 1, 8)"), 16);
    }

    /** HAProxy's own word, from its stats page: server → status, for one backend. */
    private Map<String, String> haproxyServers(String backend) {
        Map<String, String> servers = new LinkedHashMap<>();
        for (Map<String, String> row : stack.haproxyStats()) {
            if (row.get("pxname").equals(backend) && !row.get("svname").equals("BACKEND") && !row.get("svname").equals("FRONTEND")) {
                servers.put(row.get("svname"), row.get("status"));
            }
        }
        return servers;
    }

    private static Map<String, String> serversOf(JsonNode list) {
        Map<String, String> servers = new LinkedHashMap<>();
        list.forEach(s -> servers.put(s.path("server").asText(), s.path("status").asText()));
        return servers;
    }

    private Map<String, String> poolRow(String database) {
        return stack.pgbouncerPools().stream().filter(r -> r.get("database").equals(database)).findFirst()
                .orElseThrow(() -> new AssertionError("SHOW POOLS has no pool " + database));
    }

    /** Application clients held open through PgBouncer's alias, idle: PgBouncer counts each as cl_active. */
    private List<Connection> appClients(int n) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", "orders_app");
        p.setProperty("password", stack.password("app"));
        p.setProperty("sslmode", "disable");
        p.setProperty("prepareThreshold", "0");
        p.setProperty("assumeMinServerVersion", "9.0");
        String url = "jdbc:postgresql://" + stack.pgbouncerHost() + ":" + stack.pgbouncerPort() + "/" + stack.pgbouncerPool();
        List<Connection> clients = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Connection c = DriverManager.getConnection(url, p);
            try (var st = c.createStatement(); var rs = st.executeQuery("SELECT current_database()")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo("orders");
            }
            clients.add(c);
        }
        return clients;
    }

    private static void closeAll(List<Connection> clients) {
        for (Connection c : clients) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // closing anyway
            }
        }
    }

    @Test
    void the_hand_written_cluster_file_loads_with_the_timing_rule_as_a_warning() {
        Timed show = connect("config", "show", "-o", "json");
        assertThat(show.run().exitCode()).as(show.why()).isZero();
        assertThat(show.run().err()).as("Patroni runs ttl 10 < 2 + 2 x 5: a warning, not a refusal")
                .contains("warning").contains("ttl");
        JsonNode c = show.json();
        assertThat(c.path("haproxy").path("write_backend").asText()).isEqualTo("pg_primary");
        assertThat(c.path("haproxy").path("read_backend").asText()).isEqualTo("pg_replicas");
        assertThat(c.path("patroni").path("rest_api_auth").asText()).isEqualTo("none");
        assertThat(c.path("patroni").path("ttl").asInt()).isEqualTo(10);
        assertThat(c.path("patroni").path("loop_wait").asInt()).isEqualTo(2);
        assertThat(c.path("patroni").path("retry_timeout").asInt()).isEqualTo(5);
        assertThat(c.path("pgbouncer").path("databases").get(0).path("name").asText()).isEqualTo("orders_rw");
        assertThat(c.path("pgbouncer").path("databases").get(0).path("dbname").asText()).isEqualTo("orders");
        assertThat(c.path("postgresql").path("sslmode").asText()).isEqualTo("verify-ca");
    }

    @Test
    void status_agrees_with_patroni_postgres_haproxy_pgbouncer_and_etcd() throws SQLException {
        Member leader = stack.leader();
        List<Connection> clients = appClients(3);
        try {
            Map<String, String> poolBefore = poolRow(stack.pgbouncerPool());
            Timed t = connect("status", "-o", "json");
            Map<String, String> poolAfter = poolRow(stack.pgbouncerPool());
            Map<String, Long> lag = lagByReplica(leader);
            JsonNode s = t.json();

            assertThat(t.codes()).as("no false problems on a healthy stack: " + t.why()).isEmpty();
            assertThat(t.run().exitCode()).as(t.why()).isEqualTo(ExitCodes.OK);
            assertThat(s.path("leader").asText()).isEqualTo(leader.name());
            assertThat(s.path("timeline").asInt()).isEqualTo(timelineOf(leader));

            JsonNode cluster = readJson(stack.rest(leader, "/cluster"));
            Map<String, JsonNode> patroni = new LinkedHashMap<>();
            cluster.path("members").forEach(m -> patroni.put(m.path("name").asText(), m));
            List<String> names = new ArrayList<>();
            for (JsonNode m : s.path("members")) {
                String name = m.path("name").asText();
                names.add(name);
                Member truth = stack.member(name);
                assertThat(m.path("host").asText()).as(name).isEqualTo(truth.host());
                assertThat(m.path("port").asInt()).as(name).isEqualTo(truth.pgPort());
                assertThat(m.path("timeline").asInt()).as(name).isEqualTo(patroni.get(name).path("timeline").asInt());
                if (name.equals(leader.name())) {
                    assertThat(m.path("role").asText()).isEqualTo("leader");
                } else {
                    assertThat(m.path("streaming").asBoolean()).as(name).isTrue();
                    assertThat(m.path("replication").path("state").asText()).as(name).isEqualTo("streaming");
                    assertThat(m.path("lag_bytes").asLong()).as(name + ": connect's lag against the leader's pg_stat_replication")
                            .isBetween(0L, lag.get(name) + 65536);
                }
            }
            assertThat(names).containsExactly("db-a", "db-b", "db-c");

            // HAProxy: the named backends, server by server as its stats page says
            assertThat(serversOf(s.path("haproxy").path("write"))).isEqualTo(haproxyServers("pg_primary"));
            assertThat(serversOf(s.path("haproxy").path("read"))).isEqualTo(haproxyServers("pg_replicas"));
            assertThat(serversOf(s.path("haproxy").path("write")).get(leader.name())).startsWith("UP");
            assertThat(s.path("haproxy").path("write_reaches").asText()).isEqualTo(leader.name());

            // PgBouncer: the alias's clients are the three held open, whatever connect itself opened to look
            JsonNode pool = null;
            for (JsonNode p : s.path("pgbouncer").path("pools")) {
                if (p.path("database").asText().equals(stack.pgbouncerPool())) {
                    pool = p;
                }
            }
            assertThat(pool).as("pool " + stack.pgbouncerPool() + " in " + s.path("pgbouncer")).isNotNull();
            assertThat(poolBefore.get("cl_active")).isEqualTo("3");
            assertThat(poolAfter.get("cl_active")).isEqualTo("3");
            assertThat(pool.path("cl_active").asInt()).as("PgBouncer's clients, not counting connect's own probe").isEqualTo(3);
            assertThat(s.path("pgbouncer").path("reaches").asText()).isEqualTo(leader.name());

            // etcd: every member, the raft leader etcdctl names, and Patroni's leader key
            assertThat(s.path("etcd").path("healthy").asInt()).isEqualTo(3);
            assertThat(s.path("etcd").path("quorum").asBoolean()).isTrue();
            assertThat(s.path("etcd").path("leader_key_holder").asText()).isEqualTo(leader.name());
            assertThat(s.path("etcd").path("raft_leader").asText()).isEqualTo(etcdRaftLeaderName());
        } finally {
            closeAll(clients);
        }
    }

    @Test
    void check_passes_every_criterion_on_the_healthy_stack() {
        Member leader = stack.leader();
        Timed t = connect("check", "-o", "json");
        JsonNode r = t.json();
        List<String> notMet = new ArrayList<>();
        r.path("criteria").forEach(c -> {
            if (!c.path("met").asBoolean()) {
                notMet.add(c.path("name").asText() + ": " + c.path("measured").asText());
            }
        });
        assertThat(notMet).as(t.why()).isEmpty();
        assertThat(r.path("status").asText()).isEqualTo("OK");
        assertThat(t.run().exitCode()).isEqualTo(0);
        assertThat(r.path("criteria").toString()).contains(leader.name());
    }

    @Test
    void lag_check_measures_what_the_leader_says() {
        Member leader = stack.leader();
        Timed t = connect("lag", "check", "--format", "json");
        Map<String, Long> lag = lagByReplica(leader);
        JsonNode r = t.json();
        assertThat(t.run().exitCode()).as(t.why()).isZero();
        assertThat(r.path("leader").asText()).isEqualTo(leader.name());
        assertThat(r.path("status").asText()).isEqualTo("OK");
        Map<String, Long> measured = new LinkedHashMap<>();
        r.path("replicas").forEach(x -> {
            assertThat(x.path("streaming").asBoolean()).as(x.toString()).isTrue();
            measured.put(x.path("member").asText(), x.path("bytes_behind").asLong());
        });
        assertThat(measured.keySet()).containsExactlyInAnyOrderElementsOf(lag.keySet());
        measured.forEach((m, bytes) -> assertThat(bytes).as(m).isBetween(0L, lag.get(m) + 65536));
    }

    @Test
    void haproxy_status_reads_the_backends_the_file_names() {
        Member leader = stack.leader();
        Timed t = connect("haproxy", "status", "-o", "json");
        JsonNode r = t.json();
        assertThat(t.codes()).as(t.why()).isEmpty();
        assertThat(t.run().exitCode()).isZero();
        assertThat(serversOf(r.path("write"))).isEqualTo(haproxyServers("pg_primary")).hasSize(3);
        assertThat(serversOf(r.path("read"))).isEqualTo(haproxyServers("pg_replicas")).hasSize(3);
        assertThat(serversOf(r.path("write")).get(leader.name())).startsWith("UP");
        assertThat(r.path("write_reaches").asText()).isEqualTo(leader.name());
        assertThat(r.path("write_reaches_primary").asBoolean()).isTrue();
    }

    @Test
    void pgbouncer_pools_shows_the_alias_as_show_pools_does() throws SQLException {
        List<Connection> clients = appClients(2);
        try {
            Timed t = connect("pgbouncer", "pools", "-o", "json");
            Map<String, String> truth = poolRow(stack.pgbouncerPool());
            assertThat(t.run().exitCode()).as(t.why()).isZero();
            JsonNode pool = null;
            for (JsonNode p : t.json().path("pools")) {
                if (p.path("database").asText().equals(stack.pgbouncerPool())) {
                    pool = p;
                }
            }
            assertThat(pool).as(t.run().out()).isNotNull();
            assertThat(pool.path("user").asText()).isEqualTo(truth.get("user")).isEqualTo("orders_app");
            assertThat(pool.path("pool_mode").asText()).isEqualTo(truth.get("pool_mode")).isEqualTo("transaction");
            assertThat(pool.path("cl_active").asInt()).isEqualTo(Integer.parseInt(truth.get("cl_active"))).isEqualTo(2);
        } finally {
            closeAll(clients);
        }
    }

    @Test
    void patroni_list_is_what_patronis_rest_api_says() {
        Member leader = stack.leader();
        Timed t = connect("patroni", "list", "-o", "json");
        assertThat(t.run().exitCode()).as(t.why()).isZero();
        JsonNode truth = readJson(stack.rest(leader, "/cluster"));
        Map<String, String> expected = new LinkedHashMap<>();
        truth.path("members").forEach(m -> expected.put(m.path("name").asText(),
                m.path("role").asText() + " " + m.path("host").asText() + ":" + m.path("port").asInt() + " tl" + m.path("timeline").asInt()));
        Map<String, String> listed = new LinkedHashMap<>();
        members(t.json()).forEach(m -> listed.put(m.path("name").asText(),
                m.path("role").asText() + " " + m.path("host").asText() + ":" + m.path("port").asInt() + " tl" + m.path("timeline").asInt()));
        assertThat(listed).isEqualTo(expected);
        assertThat(listed.get(leader.name())).startsWith("leader ");
    }

    @Test
    void etcd_status_is_what_etcdctl_says() {
        Timed t = connect("etcd", "status", "-o", "json");
        assertThat(t.run().exitCode()).as(t.why()).isZero();
        JsonNode r = t.json();
        JsonNode truth = readJson(stack.etcdctl("endpoint", "status", "-w", "json").value());
        Map<String, String> expected = new LinkedHashMap<>();
        truth.forEach(e -> expected.put(e.path("Endpoint").asText(), e.path("Status").path("version").asText()));
        Map<String, String> seen = new LinkedHashMap<>();
        r.path("endpoints").forEach(e -> {
            assertThat(e.path("reachable").asBoolean()).as(e.toString()).isTrue();
            seen.put(e.path("endpoint").asText(), e.path("version").asText());
        });
        assertThat(seen).isEqualTo(expected);
        assertThat(r.path("raft_leader").asText()).isEqualTo(etcdRaftLeaderName());
        String leaderKey = stack.etcdctl("get", "--print-value-only", stack.namespace() + stack.scope() + "/leader").value();
        assertThat(r.path("patroni_leader").path("holder").asText()).isEqualTo(leaderKey).isEqualTo(stack.leader().name());
    }

    @Test
    void frozen_etcd_is_named_first_within_the_deadline_and_then_no_leader() {
        stack.freezeEtcd();
        try {
            Timed t = connect("status", "-o", "json");
            assertThat(t.codes()).as(t.why()).isNotEmpty();
            assertThat(t.codes().get(0)).as("the cause before its symptoms: " + t.codes()).isEqualTo("etcd_unreachable");
            assertThat(t.run().exitCode()).isEqualTo(ExitCodes.UNREACHABLE);
            assertThat(t.took()).as("status's own deadline").isLessThan(STATUS_DEADLINE.plus(SLACK));

            Timed list = connect("patroni", "list", "-o", "json");
            assertThat(list.took()).as("patroni list's own timeouts, 1 s + 2 s: " + list.why()).isLessThan(STATUS_DEADLINE.plus(SLACK));

            // Patroni demotes a leader that cannot renew its key within ttl (10 s)
            io.connectha.process.ProcessController.awaitReady("the leader demoted", Duration.ofSeconds(40), Duration.ofMillis(500),
                    () -> stack.leader() == null && stack.members().stream().allMatch(m -> stack.restCode(m, "/replica") != 0));
            Timed after = connect("status", "-o", "json");
            assertThat(after.codes()).as(after.why()).isNotEmpty();
            assertThat(after.codes().get(0)).as(after.codes().toString()).isEqualTo("etcd_unreachable");
            assertThat(after.codes()).contains("no_leader");
            assertThat(after.json().path("leader").isNull()).isTrue();
            assertThat(after.took()).isLessThan(STATUS_DEADLINE.plus(SLACK));
        } finally {
            stack.thawEtcd();
        }
    }

    @Test
    void stopped_haproxy_is_named_by_status_and_check() {
        stack.stopHaproxy();
        Timed t = connect("status", "-o", "json");
        List<String> codes = t.codes();
        assertThat(codes).as(t.why()).contains("haproxy_unreachable");
        // PgBouncer's server connections go through HAProxy's write port: that it cannot reach it is true too,
        // but the cause comes first, and nothing upstream (etcd, Patroni, PostgreSQL) is blamed
        assertThat(codes).as(t.why()).allMatch(c -> c.startsWith("haproxy_") || c.equals("pgbouncer_target_unreachable"));
        if (codes.contains("pgbouncer_target_unreachable")) {
            assertThat(codes.indexOf("haproxy_unreachable")).isLessThan(codes.indexOf("pgbouncer_target_unreachable"));
        }
        assertThat(t.run().exitCode()).isEqualTo(ExitCodes.UNREACHABLE);
        assertThat(t.took()).isLessThan(STATUS_DEADLINE.plus(SLACK));

        Timed check = connect("check", "-o", "json");
        List<String> notMet = new ArrayList<>();
        check.json().path("criteria").forEach(c -> {
            if (!c.path("met").asBoolean()) {
                notMet.add(c.path("name").asText());
            }
        });
        assertThat(check.run().exitCode()).as(check.why()).isEqualTo(2);
        // PgBouncer reaches the database through HAProxy's write port, so its criterion fails too, truly
        assertThat(notMet).as(check.why()).contains("HAProxy's write port reaches the leader")
                .allMatch(n -> n.contains("HAProxy") || n.contains("PgBouncer"));
    }

    @Test
    void discover_writes_a_file_that_tells_the_same_truth_and_run_twice_gives_the_same_bytes(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp)
            throws IOException {
        java.nio.file.Path out = tmp.resolve("orders-prod.yaml");
        java.nio.file.Path etc = stack.dir().resolve("etc");
        String[] args = {"ha", "discover", "--patroni-config", etc.resolve("db-a.yml").toString(),
                "--haproxy-config", etc.resolve("haproxy.cfg").toString(), "--haproxy-socket", stack.haproxySocket().toString(),
                "--pgbouncer-config", etc.resolve("pgbouncer.ini").toString(), "--secrets-dir", stack.dir().resolve("secrets").toString(),
                "--out", out.toString(), "--yes"};
        CommandRun first = CommandRun.of(args);
        assertThat(first.exitCode()).as(first.out() + first.err()).isZero();
        String written = java.nio.file.Files.readString(out);
        for (String secret : List.of("superuser", "replication", "app", "pgbouncer_admin")) {
            assertThat(written).doesNotContain(stack.password(secret));
        }
        CommandRun second = CommandRun.of(args);
        assertThat(second.exitCode()).as(second.err()).isZero();
        assertThat(java.nio.file.Files.readString(out)).as("run twice, the same bytes").isEqualTo(written);

        JsonNode c = readJson(CommandRun.of("ha", "-q", "-c", out.toString(), "config", "show", "-o", "json", "--file-only").out());
        assertThat(c.path("name").asText()).isEqualTo("orders-prod");
        assertThat(c.path("patroni").path("namespace").asText()).isEqualTo("/pg-ha");
        assertThat(c.path("patroni").path("rest_api_auth").asText()).isEqualTo("none");
        assertThat(c.path("patroni").path("ttl").asInt()).isEqualTo(10);
        assertThat(c.path("haproxy").path("write_backend").asText()).isEqualTo(stack.haproxyWriteBackend());
        assertThat(c.path("haproxy").path("read_backend").asText()).isEqualTo(stack.haproxyReadBackend());
        assertThat(c.path("haproxy").path("write_port").asInt()).isEqualTo(stack.haproxyWritePort());
        assertThat(c.path("pgbouncer").path("port").asInt()).isEqualTo(stack.pgbouncerPort());
        assertThat(c.path("pgbouncer").path("databases").toString()).contains(stack.pgbouncerPool(), "orders");
        assertThat(c.path("etcd").path("tls").path("ca_file").asText()).isNotEmpty();
        List<String> members = new ArrayList<>();
        c.path("members").forEach(m -> members.add(m.path("name").asText() + "@" + m.path("host").asText() + ":" + m.path("port").asInt()
                + "/" + m.path("patroni_port").asInt()));
        List<String> truth = new ArrayList<>();
        for (Member m : stack.members()) {
            truth.add(m.name() + "@" + m.host() + ":" + m.pgPort() + "/" + m.restPort());
        }
        assertThat(members).containsExactlyElementsOf(truth);

        // the discovered file and the hand-written one tell the same truth
        JsonNode byHand = connect("status", "-o", "json").json();
        JsonNode discovered = readJson(CommandRun.of("ha", "-q", "-c", out.toString(), "status", "-o", "json").out());
        assertThat(discovered.path("leader").asText()).isEqualTo(byHand.path("leader").asText()).isEqualTo(stack.leader().name());
        assertThat(serversOf(discovered.path("haproxy").path("write"))).isEqualTo(serversOf(byHand.path("haproxy").path("write")));
        assertThat(discovered.path("haproxy").path("write_reaches").asText()).isEqualTo(stack.leader().name());
        assertThat(discovered.path("etcd").path("healthy").asInt()).isEqualTo(3);
    }

    @Test
    void a_failover_drill_through_the_fault_command_loses_no_acknowledged_write(@org.junit.jupiter.api.io.TempDir java.nio.file.Path reports)
            throws IOException {
        Member before = stack.leader();
        Timed t = connect("drill", "failover", "--fault", "patroni-kill", "--clients", "3", "--duration", "8s", "--keep-table",
                "--report", reports.toString());
        java.nio.file.Path report = reports.resolve("report.json");
        assertThat(report).as(t.why()).exists();
        JsonNode r = readJson(java.nio.file.Files.readString(report));
        String newLeader = r.path("new_leader").asText();
        assertThat(r.path("old_leader").asText()).isEqualTo(before.name());
        assertThat(newLeader).as(t.why()).isNotEqualTo(before.name());
        stack.awaitReady(Duration.ofSeconds(120));
        assertThat(stack.leader().name()).as("Patroni's leader after the drill").isEqualTo(newLeader);
        Member leader = stack.member(newLeader);
        long rows = Long.parseLong(stack.rows("dba", leader.host(), leader.pgPort(), "orders",
                "SELECT count(*) AS n FROM connect_drill").get(0).get("n"));
        stack.rows("dba", leader.host(), leader.pgPort(), "orders", "DROP TABLE connect_drill");
        assertThat(r.path("acknowledged").asLong()).as("writes acknowledged through HAProxy's pg_primary").isGreaterThan(0);
        assertThat(r.path("rows_present").asLong()).as("the drill's count against psql's").isEqualTo(rows);
        assertThat(r.path("lost_writes").asLong()).isZero();
        assertThat(r.path("split_brain_writes").asLong()).isZero();
        assertThat(r.path("client_rto_ms").asLong()).isPositive().isLessThan(30_000);
    }

    @Test
    void dashboard_without_a_terminal_prints_the_same_status() {
        Member leader = stack.leader();
        Timed t = connect("dashboard");
        assertThat(t.run().exitCode()).as(t.why()).isEqualTo(ExitCodes.OK);
        assertThat(t.run().out()).contains("Leader: " + leader.name()).contains("db-a", "db-b", "db-c")
                .doesNotContain("write []").contains("No problems found");
    }

    @Test
    @ExtendWith(io.connectha.support.LabExtension.class)
    void status_all_asks_the_lab_and_this_stack_as_two_contexts(io.connectha.support.LabExtension.RunningLab lab,
            @org.junit.jupiter.api.io.TempDir java.nio.file.Path home) throws Exception {
        Map<String, String> env = Map.of("HOME", home.toString(), "XDG_CONFIG_HOME", home.resolve("config").toString());
        assertThat(CommandRun.inChild(home, env, "ha", "context", "add", "lab", lab.clusterFile().toString()).exitCode()).isZero();
        assertThat(CommandRun.inChild(home, env, "ha", "context", "add", "orders", stack.clusterFile().toString(), "--use").exitCode()).isZero();
        CommandRun all = CommandRun.inChild(home, env, "ha", "status", "--all", "-o", "json", "--connect-timeout", "3s", "--read-timeout", "3s");
        JsonNode rows = readJson(all.out());
        Map<String, JsonNode> byContext = new LinkedHashMap<>();
        (rows.isArray() ? rows : rows.path("clusters")).forEach(r -> byContext.put(r.path("context").asText(), r));
        assertThat(byContext).as(all.out() + all.err()).containsOnlyKeys("lab", "orders");
        assertThat(byContext.get("orders").path("cluster").asText()).isEqualTo("orders-prod");
        assertThat(byContext.get("orders").path("leader").asText()).isEqualTo(stack.leader().name());
        assertThat(byContext.get("lab").path("leader").asText()).isNotEmpty();
        assertThat(all.exitCode()).as(all.out() + all.err()).isEqualTo(ExitCodes.OK);
    }

    private String etcdRaftLeaderName() {
        JsonNode status = readJson(stack.etcdctl("endpoint", "status", "-w", "json").value());
        // member ids are unsigned 64-bit numbers: compared as text, as etcdctl prints them
        String leaderId = status.get(0).path("Status").path("leader").asText();
        JsonNode list = readJson(stack.etcdctl("member", "list", "-w", "json").value());
        for (JsonNode m : list.path("members")) {
            if (m.path("ID").asText().equals(leaderId)) {
                return m.path("name").asText();
            }
        }
        throw new AssertionError("etcdctl names no raft leader: " + status);
    }

    private static List<JsonNode> members(JsonNode json) {
        JsonNode list = json.isArray() ? json : json.path("members");
        List<JsonNode> out = new ArrayList<>();
        list.forEach(out::add);
        return out;
    }

    private static JsonNode readJson(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }
}
