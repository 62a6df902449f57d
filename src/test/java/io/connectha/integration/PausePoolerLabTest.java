package io.connectha.integration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.connectha.cli.ExitCodes;
import io.connectha.cluster.ClusterSpec;
import io.connectha.cluster.SecretName;
import io.connectha.error.ConnectError;
import io.connectha.patroni.PatroniService;
import io.connectha.pg.PgConnector;
import io.connectha.pgbouncer.PgbouncerConsole;
import io.connectha.pgbouncer.PgbouncerRoute;
import io.connectha.pgbouncer.PgbouncerShow;
import io.connectha.process.Progress;
import io.connectha.status.ClusterStatus;
import io.connectha.status.PooledSwitchover;
import io.connectha.support.CommandRun;
import io.connectha.support.Handles;
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
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code patroni switchover --pause-pooler} on the lab's real PgBouncer: the leader moves while clients wait, and PgBouncer
 * is never left paused, whether the switchover succeeds, fails after the pause, or is interrupted with Ctrl-C. The pause
 * state is read from PgBouncer itself ({@code SHOW DATABASES}, column {@code paused}).
 */
@Tag("integration")
@ExtendWith(LabExtension.class)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class PausePoolerLabTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** A query held by PAUSE must wait, not time out. */
    private final PgConnector pg = new PgConnector(Duration.ofSeconds(5), Duration.ofSeconds(30));
    private RunningLab lab;

    @BeforeEach
    void lab(RunningLab lab) {
        this.lab = lab;
        Health.awaitHealthy(lab, Duration.ofSeconds(90));
    }

    @AfterEach
    void never_left_paused_and_healthy_again() {
        assertThat(appPaused()).as("PgBouncer's app database paused after the test").isFalse();
        Health.awaitHealthy(lab, Duration.ofSeconds(90));
    }

    @Test
    void the_leader_moves_clients_only_wait_and_pgbouncer_is_running_afterwards() throws Exception {
        String before = Health.awaitHealthy(lab, Duration.ofSeconds(90)).leader();
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong answered = new AtomicLong();
        AtomicLong onAReplica = new AtomicLong();
        List<String> failures = new ArrayList<>();
        // a client through PgBouncer during the whole switchover: every query must be answered, and by a leader
        Thread client = new Thread(() -> {
            while (running.get()) {
                try (Handle h = Handles.openPooled(pg, appEndpoint(), lab.secrets().password(SecretName.app))) {
                    while (running.get()) {
                        if (h.createQuery("SELECT pg_is_in_recovery()").mapTo(Boolean.class).one()) {
                            onAReplica.incrementAndGet();
                        }
                        answered.incrementAndGet();
                        Thread.sleep(5);
                    }
                } catch (Exception e) {
                    synchronized (failures) {
                        failures.add(String.valueOf(e.getMessage()));
                    }
                }
            }
        }, "pooled-client");
        client.start();
        Thread.sleep(500);
        CommandRun run = patroni("switchover", "--pause-pooler", "--yes", "-o", "json");
        Thread.sleep(500);
        running.set(false);
        client.join(35_000);

        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        JsonNode json = JSON.readTree(run.out());
        String after = json.path("to").asText();
        assertThat(json.path("from").asText()).isEqualTo(before);
        assertThat(after).isNotEqualTo(before);
        assertThat(json.at("/pooler/databases/0").asText()).isEqualTo(appPool());
        assertThat(json.at("/pooler/resumed").asBoolean()).isTrue();
        assertThat(json.at("/pooler/paused_ms").asLong()).isGreaterThanOrEqualTo(json.at("/phases/1/took_ms").asLong());
        List<String> phases = new ArrayList<>();
        json.path("phases").forEach(p -> phases.add(p.path("phase").asText()));
        // PgBouncer goes through HAProxy's write port and the admin socket is ours: HAProxy is steered by default
        assertThat(phases).containsExactly("pause", "switchover", "steer", "path", "resume");
        assertThat(json.at("/steering/commands").toString()).contains("health down", "health up");
        assertThat(appPaused()).as("SHOW DATABASES paused for " + appPool()).isFalse();
        assertThat(Health.awaitHealthy(lab, Duration.ofSeconds(90)).leader()).isEqualTo(after);
        assertThat(failures).as("queries through PgBouncer that failed").isEmpty();
        assertThat(onAReplica.get()).as("queries answered by a replica").isZero();
        assertThat(answered.get()).isPositive();
        System.err.println("switchover --pause-pooler: " + run.out().replace('\n', ' '));
    }

    @Test
    void a_pause_that_cannot_complete_in_time_is_resumed_and_nothing_is_switched() {
        String before = Health.awaitHealthy(lab, Duration.ofSeconds(90)).leader();
        // a transaction left open through PgBouncer: PAUSE waits for it
        try (Handle held = Handles.openPooled(pg, appEndpoint(), lab.secrets().password(SecretName.app))) {
            held.begin();
            held.createQuery("SELECT 1").mapTo(Integer.class).one();
            CommandRun run = patroni("switchover", "--pause-pooler", "--pause-timeout", "700ms", "--yes");
            assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(ExitCodes.FAILURE);
            assertThat(run.err()).contains("connect: PgBouncer's " + appPool() + " still had transactions running after 700 ms "
                    + "(--pause-timeout): resumed it, and did not switch over");
            assertThat(appPaused()).isFalse();
            assertThat(held.createQuery("SELECT 2").mapTo(Integer.class).one()).as("the open transaction goes on").isEqualTo(2);
            held.rollback();
        }
        assertThat(Health.awaitHealthy(lab, Duration.ofSeconds(90)).leader()).isEqualTo(before);
    }

    @Test
    void a_switchover_patroni_refuses_after_the_pause_still_resumes() {
        String before = Health.awaitHealthy(lab, Duration.ofSeconds(90)).leader();
        StringWriter err = new StringWriter();
        List<String> alarms = new ArrayList<>();
        try (PatroniService patroni = new PatroniService(lab.cluster(), lab.secrets(), Duration.ofSeconds(1), Duration.ofSeconds(2))) {
            PooledSwitchover pooled = new PooledSwitchover(patroni, new Progress(new PrintWriter(err, true), false), alarms::add);
            // no such member: Patroni refuses it, after PgBouncer has been paused
            assertThatThrownBy(() -> pooled.run(before, "no_such_member",
                    new PooledSwitchover.Options(Duration.ofSeconds(5), Duration.ofSeconds(10), PooledSwitchover.Steer.never)))
                    .isInstanceOf(ConnectError.class);
        }
        assertThat(err.toString()).contains("PgBouncer paused " + appPool()).contains("PgBouncer resumed " + appPool() + " after");
        assertThat(alarms).isEmpty();
        assertThat(appPaused()).isFalse();
        assertThat(Health.awaitHealthy(lab, Duration.ofSeconds(90)).leader()).isEqualTo(before);
    }

    @Test
    void ctrl_c_while_pgbouncer_is_paused_resumes_it_before_the_process_ends() throws Exception {
        String before = Health.awaitHealthy(lab, Duration.ofSeconds(90)).leader();
        Path dir = Files.createTempDirectory("pause-pooler");
        try (Handle held = Handles.openPooled(pg, appEndpoint(), lab.secrets().password(SecretName.app))) {
            // the open transaction keeps PAUSE waiting: the moment to interrupt is while SHOW DATABASES says paused
            held.begin();
            held.createQuery("SELECT 1").mapTo(Integer.class).one();
            Process child = child(dir, "ha", "-c", lab.clusterFile().toString(), "patroni", "switchover", "--pause-pooler",
                    "--pause-timeout", "60s", "--yes");
            Instant until = Instant.now().plusSeconds(40);
            while (!appPaused()) {
                assertThat(child.isAlive()).as("connect ended before pausing: " + Files.readString(dir.resolve("err.txt"))).isTrue();
                assertThat(Instant.now()).as("PgBouncer paused by the child").isBefore(until);
                Thread.sleep(50);
            }
            new ProcessBuilder("kill", "-INT", Long.toString(child.pid())).start().waitFor(5, TimeUnit.SECONDS);
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).as("connect ended after SIGINT").isTrue();
            String stderr = Files.readString(dir.resolve("err.txt"), StandardCharsets.UTF_8);
            assertThat(child.exitValue()).as(stderr).isEqualTo(ExitCodes.INTERRUPTED);
            assertThat(stderr).contains("interrupted: PgBouncer at " + lab.cluster().spec().pgbouncer().address() + " resumed (" + appPool() + ")");
            assertThat(appPaused()).as("SHOW DATABASES paused after the process ended").isFalse();
            held.rollback();
        }
        assertThat(Health.awaitHealthy(lab, Duration.ofSeconds(90)).leader()).as("the switchover was never sent").isEqualTo(before);
    }

    @Test
    void drill_switchover_through_pgbouncer_with_the_pooler_paused_fails_no_write_and_reports_the_pause(@TempDir Path reports)
            throws Exception {
        String before = Health.awaitHealthy(lab, Duration.ofSeconds(90)).leader();
        CommandRun run = CommandRun.of("ha", "-c", lab.clusterFile().toString(), "drill", "switchover", "--via", "pgbouncer", "--pause-pooler",
                "--clients", "2", "--duration", "4s", "--report", reports.toString());
        JsonNode r = JSON.readTree(Files.readString(reports.resolve("report.json")));
        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        assertThat(r.path("via").asText()).isEqualTo("pgbouncer");
        assertThat(r.path("old_leader").asText()).isEqualTo(before);
        assertThat(r.path("new_leader").asText()).isNotEqualTo(before).isEqualTo(Health.awaitHealthy(lab, Duration.ofSeconds(90)).leader());
        assertThat(r.path("acknowledged").asLong()).isPositive();
        assertThat(r.path("failed").asLong()).as("writes that failed while PgBouncer held them").isZero();
        assertThat(r.path("lost_writes").asLong()).isZero();
        JsonNode p = r.path("pooler");
        assertThat(p.path("databases").get(0).asText()).isEqualTo(appPool());
        assertThat(p.path("steer_haproxy").asBoolean()).isTrue();
        assertThat(p.path("pause_timeout_ms").asLong()).isEqualTo(5000);
        long promotion = p.path("promotion_ms").asLong();
        assertThat(promotion).isPositive();
        assertThat(p.path("paused_ms").asLong()).isGreaterThanOrEqualTo(promotion);
        assertThat(p.path("longest_client_wait_ms").asLong()).isEqualTo(r.path("longest_gap_ms").asLong())
                .as("the target: the promotion + 1 s").isLessThanOrEqualTo(promotion + 1000);
        List<String> passed = new ArrayList<>();
        r.path("criteria").forEach(c -> passed.add(c.path("name").asText() + "=" + c.path("passed").asBoolean()));
        assertThat(passed).contains("no failed write while PgBouncer held the clients=true", "longest client wait=true");
        System.err.println("drill switchover --pause-pooler --steer-haproxy: promotion " + promotion + " ms, held "
                + p.path("paused_ms").asLong() + " ms, longest client wait " + p.path("longest_client_wait_ms").asLong() + " ms");
    }

    private Process child(Path dir, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), "io.connectha.cli.Main"));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("CONNECT_") || k.startsWith("PG") || k.startsWith("XDG_"));
        pb.redirectOutput(dir.resolve("out.txt").toFile()).redirectError(dir.resolve("err.txt").toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        return pb.start();
    }

    private String appPool() {
        ClusterSpec spec = lab.cluster().spec();
        return spec.pgbouncer().poolFor(spec.postgresql().database()).name();
    }

    private boolean appPaused() {
        PgbouncerConsole console = new PgbouncerConsole(lab.cluster(), lab.secrets(), Duration.ofSeconds(2), Duration.ofSeconds(5));
        return PgbouncerRoute.of(console.show(PgbouncerShow.DATABASES).rows()).stream()
                .filter(r -> r.name().equals(appPool())).findFirst().orElseThrow().paused();
    }

    private PgConnector.Endpoint appEndpoint() {
        ClusterSpec spec = lab.cluster().spec();
        return new PgConnector.Endpoint("PgBouncer", spec.pgbouncer().host(), spec.pgbouncer().port(), appPool(), spec.postgresql().appUser());
    }

    private CommandRun patroni(String... args) {
        List<String> all = new ArrayList<>(List.of("ha", "-c", lab.clusterFile().toString(), "patroni"));
        all.addAll(List.of(args));
        return CommandRun.of(all.toArray(String[]::new));
    }
}
