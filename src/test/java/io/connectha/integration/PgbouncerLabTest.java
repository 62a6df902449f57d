package io.connectha.integration;

import io.connectha.support.Handles;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.connectha.cli.ExitCodes;
import io.connectha.cluster.ClusterSpec;
import io.connectha.cluster.SecretName;
import io.connectha.process.ProcessController;
import io.connectha.pg.PgConnector;
import io.connectha.support.CommandRun;
import io.connectha.support.Health;
import io.connectha.support.LabExtension;
import io.connectha.support.LabExtension.RunningLab;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** `connect ha pgbouncer ...` against the lab's real PgBouncer, with effects checked through PgBouncer itself. */
@Tag("integration")
@ExtendWith(LabExtension.class)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class PgbouncerLabTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Generous read timeout: a query held by PAUSE must wait, not time out. */
    private final PgConnector pg = new PgConnector(Duration.ofSeconds(10), Duration.ofSeconds(30));
    private RunningLab lab;

    @BeforeEach
    void lab(RunningLab lab) {
        this.lab = lab;
    }

    @AfterEach
    void healthy_again() {
        lab.lab().startProcess("pgbouncer");
        run("pgbouncer", "resume");
        Health.awaitHealthy(lab, Duration.ofSeconds(60));
    }

    @Test
    void pools_list_the_app_pool_after_a_connection_through_pgbouncer() {
        assertThat(query("SELECT 1")).isEqualTo(1);
        CommandRun run = run("pgbouncer", "pools", "-o", "json");
        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode app = pool(json(run), "app");
        assertThat(app.path("user").asText()).isEqualTo("app");
        assertThat(app.path("pool_mode").asText()).isEqualTo("transaction");
        assertThat(app.path("sv_active").asInt() + app.path("sv_idle").asInt() + app.path("sv_used").asInt()).isPositive();
        assertThat(json(run).path("pools").findValuesAsText("database")).doesNotContain("pgbouncer");

        CommandRun table = run("pgbouncer", "pools");
        assertThat(table.out()).startsWith("DATABASE  USER  CL ACTIVE").containsPattern("(?m)^app\\s+app\\s+\\d");
    }

    @Test
    void pause_holds_a_query_in_the_queue_and_resume_releases_it() throws Exception {
        assertThat(query("SELECT 1")).isEqualTo(1);
        CommandRun pause = run("pgbouncer", "pause", "--yes");
        assertThat(pause.exitCode()).as(pause.err()).isZero();
        assertThat(pause.out()).startsWith("Paused PgBouncer at " + lab.cluster().spec().pgbouncer().address());

        CompletableFuture<Integer> held = CompletableFuture.supplyAsync(() -> query("SELECT 42"));
        ProcessController.awaitReady("a client waiting in SHOW POOLS", Duration.ofSeconds(10), Duration.ofMillis(100),
                () -> pool(json(run("pgbouncer", "pools", "-o", "json")), "app").path("cl_waiting").asInt() >= 1);
        Thread.sleep(500);
        assertThat(held).as("the query waits while PgBouncer is paused").isNotDone();

        CommandRun again = run("pgbouncer", "pause", "--yes", "-o", "json");
        assertThat(again.exitCode()).isZero();
        assertThat(json(again).path("outcome").asText()).isEqualTo("already_paused");

        Instant resumed = Instant.now();
        CommandRun resume = run("pgbouncer", "resume");
        assertThat(resume.exitCode()).as(resume.err()).isZero();
        assertThat(resume.out()).startsWith("Resumed PgBouncer");
        assertThat(held.get(5, TimeUnit.SECONDS)).isEqualTo(42);
        System.err.println("held query answered " + Duration.between(resumed, Instant.now()).toMillis() + " ms after resume was started");

        CommandRun twice = run("pgbouncer", "resume");
        assertThat(twice.exitCode()).isZero();
        assertThat(twice.out()).contains("was not paused: nothing changed");
    }

    @Test
    void pausing_one_database_and_a_dry_run() throws Exception {
        CommandRun dry = run("pgbouncer", "pause", "app", "--dry-run", "-o", "json");
        assertThat(dry.exitCode()).as(dry.err()).isZero();
        assertThat(json(dry).path("outcome").asText()).isEqualTo("dry_run");
        assertThat(json(dry).path("sent").asBoolean()).isFalse();
        assertThat(query("SELECT 7")).as("nothing was paused").isEqualTo(7);

        assertThat(run("pgbouncer", "pause", "app", "--yes").out()).startsWith("Paused database app on PgBouncer");
        CompletableFuture<Integer> held = CompletableFuture.supplyAsync(() -> query("SELECT 8"));
        ProcessController.awaitReady("a client waiting for app", Duration.ofSeconds(10), Duration.ofMillis(100),
                () -> pool(json(run("pgbouncer", "pools", "-o", "json")), "app").path("cl_waiting").asInt() >= 1);
        assertThat(run("pgbouncer", "pause", "app", "--yes").out()).contains("was already paused");
        assertThat(run("pgbouncer", "resume", "app").out()).startsWith("Resumed database app");
        assertThat(held.get(5, TimeUnit.SECONDS)).isEqualTo(8);
        assertThat(run("pgbouncer", "resume", "app").out()).contains("was not paused");
        CommandRun unknown = run("pgbouncer", "pause", "nosuchdb", "--yes");
        assertThat(unknown.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(unknown.err()).contains("has no database 'nosuchdb' (it has: app)");
    }

    @Test
    void reload_is_answered_and_pgbouncer_keeps_serving() {
        CommandRun dry = run("pgbouncer", "reload", "--dry-run");
        assertThat(dry.out()).startsWith("Would send RELOAD");
        CommandRun reload = run("pgbouncer", "reload", "-o", "json");
        assertThat(reload.exitCode()).as(reload.err()).isZero();
        assertThat(json(reload).path("outcome").asText()).isEqualTo("reloaded");
        assertThat(json(reload).path("command").asText()).isEqualTo("RELOAD");
        assertThat(query("SELECT 3")).isEqualTo(3);
    }

    @Test
    void stats_clients_and_servers_return_rows_by_pgbouncers_own_columns() {
        ClusterSpec spec = lab.cluster().spec();
        try (Handle held = Handles.openPooled(pg, appEndpoint(spec), lab.secrets().password(SecretName.app))) {
            held.createQuery("SELECT 1").mapTo(Integer.class).one();
            for (String what : List.of("stats", "clients", "servers")) {
                CommandRun run = run("pgbouncer", what, "-o", "json");
                assertThat(run.exitCode()).as(what + ": " + run.err()).isZero();
                JsonNode json = json(run);
                assertThat(json.path("command").asText()).isEqualTo("SHOW " + what.toUpperCase());
                List<String> columns = new ArrayList<>();
                json.path("columns").forEach(c -> columns.add(c.asText()));
                assertThat(columns).as(what).contains("database");
                assertThat(json.path("rows").findValuesAsText("database")).as(what).contains("app").doesNotContain("pgbouncer");
                CommandRun table = run("pgbouncer", what);
                assertThat(table.out().lines().findFirst().orElseThrow()).as(what).contains("DATABASE");
            }
        }
    }

    @Test
    void a_stopped_pgbouncer_is_exit_5_in_one_line_within_seconds() {
        lab.lab().stopProcess("pgbouncer", false);
        for (String[] command : List.of(new String[]{"pgbouncer", "pools"}, new String[]{"pgbouncer", "pause", "--yes"})) {
            Instant t = Instant.now();
            CommandRun run = run(command);
            Duration took = Duration.between(t, Instant.now());
            System.err.println("pgbouncer " + command[1] + " with PgBouncer stopped: exit " + run.exitCode() + " in " + took.toMillis() + " ms");
            assertThat(run.exitCode()).isEqualTo(ExitCodes.UNREACHABLE);
            assertThat(run.err().lines()).hasSize(1);
            assertThat(run.err()).startsWith("connect: could not reach PgBouncer admin console at " + lab.cluster().spec().pgbouncer().address());
            assertThat(run.out()).isEmpty();
            assertThat(took).isLessThan(Duration.ofSeconds(3));
        }
    }

    private int query(String sql) {
        try (Handle h = Handles.openPooled(pg, appEndpoint(lab.cluster().spec()), lab.secrets().password(SecretName.app))) {
            return h.createQuery(sql).mapTo(Integer.class).one();
        }
    }

    private static PgConnector.Endpoint appEndpoint(ClusterSpec spec) {
        return new PgConnector.Endpoint("PgBouncer", spec.pgbouncer().host(), spec.pgbouncer().port(), spec.postgresql().database(),
                spec.postgresql().appUser());
    }

    private CommandRun run(String... args) {
        List<String> all = new ArrayList<>(List.of("ha", "-c", lab.clusterFile().toString()));
        all.addAll(List.of(args));
        return CommandRun.of(all.toArray(String[]::new));
    }

    private static JsonNode json(CommandRun run) {
        try {
            return JSON.readTree(run.out());
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + run.out() + run.err(), e);
        }
    }

    private static JsonNode pool(JsonNode pools, String database) {
        for (JsonNode p : pools.path("pools")) {
            if (p.path("database").asText().equals(database)) {
                return p;
            }
        }
        throw new AssertionError("no pool for " + database + " in " + pools);
    }
}
