package io.connectha.integration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.connectha.config.DcsConfigEditor;
import io.connectha.config.DcsPatch;
import io.connectha.etcd.EtcdService;
import io.connectha.etcd.EtcdWrite;
import io.connectha.net.Http;
import io.connectha.patroni.PatroniClient;
import io.connectha.process.ProcessController;
import io.connectha.support.CommandRun;
import io.connectha.support.Health;
import io.connectha.support.LabExtension;
import io.connectha.support.LabExtension.RunningLab;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code patroni edit-config} on the shared lab: a parameter written to etcd's config key and served by
 * Patroni's {@code GET /config}, a dry run that writes nothing, refusals before anything is written, and two
 * writers racing, of whom exactly one wins the first round and no change is lost. Each test puts the
 * config document back exactly as it found it.
 */
@Tag("integration")
@ExtendWith(LabExtension.class)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class EditConfigLabTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static EtcdService etcd(RunningLab lab) {
        return EtcdService.open(lab.cluster().spec());
    }

    private static DcsConfigEditor editor(RunningLab lab, EtcdService etcd) {
        return new DcsConfigEditor(lab.cluster(), lab.secrets(), etcd, Duration.ofSeconds(1), Duration.ofSeconds(3));
    }

    private static DcsConfigEditor.Snapshot read(RunningLab lab) {
        try (EtcdService etcd = etcd(lab)) {
            return editor(lab, etcd).read();
        }
    }

    /** Puts the document back as it was, whatever changed it since: the next test finds the lab's own config. */
    private static void restore(RunningLab lab, DcsConfigEditor.Snapshot original) throws Exception {
        try (EtcdService etcd = etcd(lab)) {
            DcsConfigEditor.Snapshot now = editor(lab, etcd).read();
            if (!now.config().equals(original.config())) {
                EtcdWrite w = etcd.compareAndPut(now.key(), now.modRevision(), JSON.writeValueAsString(original.config()));
                assertThat(w.written()).as("restoring the lab's config").isTrue();
            }
        }
    }

    private static JsonNode run(RunningLab lab, int exit, String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of("ha", "-c", lab.clusterFile().toString(), "patroni", "edit-config"));
        all.addAll(List.of(args));
        CommandRun run = CommandRun.of(all.toArray(String[]::new));
        assertThat(run.exitCode()).as(run.err() + run.out()).isEqualTo(exit);
        return exit == 0 && List.of(args).contains("json") ? JSON.readTree(run.out()) : JSON.createObjectNode().put("err", run.err());
    }

    private static String parameter(JsonNode config, String name) {
        return config.path("postgresql").path("parameters").path(name).asText(null);
    }

    @Test
    void a_parameter_lands_in_etcd_and_in_patronis_config_a_second_run_changes_nothing_and_a_dry_run_writes_nothing(RunningLab lab)
            throws Exception {
        Health.awaitHealthy(lab, Duration.ofSeconds(90));
        DcsConfigEditor.Snapshot original = read(lab);
        String value = "4" + (System.nanoTime() % 9 + 1) + "MB";
        try {
            JsonNode dry = run(lab, 0, "--pg", "work_mem=" + value, "--dry-run", "-o", "json");
            assertThat(dry.get("dry_run").asBoolean()).isTrue();
            assertThat(dry.get("written").asBoolean()).isFalse();
            assertThat(dry.get("changes").get(0).get("key").asText()).isEqualTo("postgresql.parameters.work_mem");
            assertThat(dry.get("changes").get(0).get("after").asText()).isEqualTo(value);
            assertThat(dry.get("diff").toString()).contains("+    work_mem: " + value);
            DcsConfigEditor.Snapshot afterDry = read(lab);
            assertThat(afterDry.modRevision()).as("a dry run leaves the key's revision").isEqualTo(original.modRevision());
            assertThat(afterDry.config()).isEqualTo(original.config());

            JsonNode done = run(lab, 0, "--pg", "work_mem=" + value, "--yes", "-o", "json");
            assertThat(done.get("written").asBoolean()).isTrue();
            assertThat(done.get("revision_before").asLong()).isEqualTo(original.modRevision());
            assertThat(done.get("needs_restart")).isEmpty();
            assertThat(done.get("restart_source").asText()).startsWith("pg_settings on pg");
            assertThat(done.get("rto_budget").get("worst_case_seconds").asDouble()).isEqualTo(13.0);
            DcsConfigEditor.Snapshot written = read(lab);
            assertThat(written.modRevision()).isEqualTo(done.get("revision_after").asLong()).isGreaterThan(original.modRevision());
            assertThat(parameter(written.config(), "work_mem")).isEqualTo(value);
            // only the edited key changed; everything else of Patroni's document is as it was
            assertThat(DcsConfigEditor.changes(original.config(), written.config()))
                    .extracting(DcsConfigEditor.Change::key).containsExactly("postgresql.parameters.work_mem");

            try (Http http = new Http(Duration.ofSeconds(1), Duration.ofSeconds(3))) {
                PatroniClient patroni = new PatroniClient(http);
                var member = lab.cluster().spec().members().get(0);
                ProcessController.awaitReady("Patroni's GET /config serves work_mem " + value, Duration.ofSeconds(20), Duration.ofMillis(200),
                        () -> value.equals(parameter(patroni.config(member), "work_mem")));
            }

            JsonNode again = run(lab, 0, "--pg", "work_mem=" + value, "--yes", "-o", "json");
            assertThat(again.get("changed").asBoolean()).isFalse();
            assertThat(again.get("written").asBoolean()).isFalse();
            assertThat(read(lab).modRevision()).as("no change, no write").isEqualTo(written.modRevision());

            JsonNode restart = run(lab, 0, "--pg", "max_connections=123", "--dry-run", "-o", "json");
            assertThat(restart.get("needs_restart").toString()).isEqualTo("[\"max_connections\"]");
        } finally {
            restore(lab, original);
        }
    }

    @Test
    void bad_values_and_a_budget_over_target_are_refused_with_one_line_and_nothing_written(RunningLab lab) throws Exception {
        Health.awaitHealthy(lab, Duration.ofSeconds(90));
        DcsConfigEditor.Snapshot original = read(lab);
        assertThat(run(lab, 2, "--set", "loop_wait=5s", "--yes").get("err").asText())
                .isEqualTo("connect: loop_wait must be a whole number of seconds (or a count) above 0, not '5s'\n");
        // the fast lab: ttl 10, HAProxy every 500 ms with rise 1: ttl 40 costs 43 s
        assertThat(run(lab, 2, "--set", "ttl=40", "--yes").get("err").asText()).isEqualTo("connect: ttl: the worst-case node-loss RTO"
                + " 43 s (ttl 40 s + promotion 2 s + HAProxy 0.5 s + reconnect 0.5 s) is over rto_target 30 s; patroni.ttl 40 s -> 27 s"
                + " would make it 30 s; add --force to write it anyway\n");
        assertThat(run(lab, 2, "--pg", "work_mem=9MB").get("err").asText()).contains("not confirmed; stdin is not a terminal, so add --yes");
        DcsConfigEditor.Snapshot after = read(lab);
        assertThat(after.modRevision()).isEqualTo(original.modRevision());
    }

    @Test
    void two_writers_racing_one_wins_the_other_is_told_and_lands_on_a_second_run_so_no_change_is_lost(RunningLab lab) throws Exception {
        Health.awaitHealthy(lab, Duration.ofSeconds(90));
        DcsConfigEditor.Snapshot original = read(lab);
        String[] names = {"log_min_duration_statement", "log_autovacuum_min_duration"};
        String[] values = {"1234ms", "4321ms"};
        CyclicBarrier bothHaveRead = new CyclicBarrier(2);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<Object>> writers = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                int w = i;
                writers.add(pool.submit(() -> {
                    try (EtcdService etcd = etcd(lab)) {
                        DcsConfigEditor editor = editor(lab, etcd);
                        DcsConfigEditor.Snapshot read = editor.read();
                        // both read the same revision before either writes: the race patronictl users hit
                        bothHaveRead.await(20, TimeUnit.SECONDS);
                        DcsConfigEditor.Plan plan = editor.plan(read, new DcsPatch(null, List.of(DcsPatch.pg(names[w] + "=" + values[w]))), false);
                        try {
                            return editor.write(plan);
                        } catch (DcsConfigEditor.Conflict conflict) {
                            return conflict;
                        }
                    }
                }));
            }
            List<Object> outcomes = new ArrayList<>();
            for (Future<Object> f : writers) {
                outcomes.add(f.get(60, TimeUnit.SECONDS));
            }
            long won = outcomes.stream().filter(o -> o instanceof EtcdWrite).count();
            assertThat(won).as("exactly one write wins the first round: " + outcomes).isEqualTo(1);
            int loser = outcomes.get(0) instanceof DcsConfigEditor.Conflict ? 0 : 1;
            DcsConfigEditor.Conflict conflict = (DcsConfigEditor.Conflict) outcomes.get(loser);
            EtcdWrite winner = (EtcdWrite) outcomes.get(1 - loser);
            assertThat(conflict.readRevision()).isEqualTo(original.modRevision());
            assertThat(conflict.currentRevision()).isEqualTo(winner.modRevision());
            assertThat(conflict.getMessage()).isEqualTo("the config changed since it was read (revision " + original.modRevision()
                    + " -> " + winner.modRevision() + "); nothing was written: run again");
            assertThat(parameter(read(lab).config(), names[loser])).as("the loser wrote nothing").isEqualTo(
                    parameter(original.config(), names[loser]));

            // the loser runs again, through the command, and lands on top of the winner's change
            JsonNode rerun = run(lab, 0, "--pg", names[loser] + "=" + values[loser], "--yes", "-o", "json");
            assertThat(rerun.get("written").asBoolean()).isTrue();
            assertThat(rerun.get("revision_before").asLong()).isEqualTo(winner.modRevision());
            JsonNode finalConfig = read(lab).config();
            assertThat(parameter(finalConfig, names[0])).isEqualTo(values[0]);
            assertThat(parameter(finalConfig, names[1])).isEqualTo(values[1]);
        } finally {
            pool.shutdownNow();
            restore(lab, original);
        }
    }

    @Test
    void a_ttl_over_budget_written_with_force_makes_check_warn_rto_budget_from_the_live_config(RunningLab lab) throws Exception {
        Health.awaitHealthy(lab, Duration.ofSeconds(90));
        DcsConfigEditor.Snapshot original = read(lab);
        try {
            JsonNode forced = run(lab, 0, "--set", "ttl=40", "--force", "--yes", "-o", "json");
            assertThat(forced.get("written").asBoolean()).isTrue();
            assertThat(forced.get("rto_budget").get("over_target").asBoolean()).isTrue();
            assertThat(forced.get("rto_budget").get("worst_case_seconds").asDouble()).isEqualTo(43.0);
            String[] warnings = new String[1];
            // status reads the first of etcd and the members' GET /config to answer; a Patroni may serve the old one for a loop
            ProcessController.awaitReady("check warns rto_budget", Duration.ofSeconds(20), Duration.ofMillis(500), () -> {
                CommandRun check = CommandRun.of("ha", "-c", lab.clusterFile().toString(), "check", "-o", "json");
                try {
                    warnings[0] = JSON.readTree(check.out()).path("warnings").toString();
                } catch (Exception e) {
                    return false;
                }
                return warnings[0].contains("rto_budget");
            });
            assertThat(warnings[0]).contains("the worst-case node-loss RTO 43 s (ttl 40 s + promotion 2 s + HAProxy 0.5 s + reconnect 0.5 s)"
                    + " is over rto_target 30 s; patroni.ttl 40 s -> 27 s would make it 30 s (live DCS config)");
        } finally {
            restore(lab, original);
        }
    }
}
