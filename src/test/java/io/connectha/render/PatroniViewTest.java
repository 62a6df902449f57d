package io.connectha.render;

import io.connectha.patroni.PatroniService.MaintenanceResult;
import io.connectha.patroni.PatroniService.ReinitResult;
import io.connectha.patroni.PatroniService.RestartResult;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/** restart, reinit, pause and resume: the lines they printed before they had -o, and the JSON they now have. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class PatroniViewTest {

    private static String table(Consumer<PrintWriter> view) {
        StringWriter s = new StringWriter();
        PrintWriter out = new PrintWriter(s);
        view.accept(out);
        out.flush();
        return s.toString();
    }

    @Test
    void restart_says_what_patroni_answered_or_would_be_done() {
        assertThat(table(o -> PatroniView.restart(o, new RestartResult("pg2", false, false, "restarted successfully"))))
                .isEqualTo("pg2: restarted successfully\n");
        assertThat(table(o -> PatroniView.restart(o, new RestartResult("pg2", true, true, null))))
                .isEqualTo("Would restart PostgreSQL on pg2 if a restart is pending.\n");
        assertThat(table(o -> PatroniView.restart(o, new RestartResult("pg2", false, true, null))))
                .isEqualTo("Would restart PostgreSQL on pg2.\n");
    }

    @Test
    void reinit_says_what_patroni_answered_or_would_be_done() {
        assertThat(table(o -> PatroniView.reinit(o, new ReinitResult("pg3", false, false, "reinitialize started"))))
                .isEqualTo("pg3: reinitialize started\n");
        assertThat(table(o -> PatroniView.reinit(o, new ReinitResult("pg3", false, true, null))))
                .isEqualTo("Would delete the data of pg3 and clone it again from the leader.\n");
    }

    @Test
    void pause_and_resume_say_when_there_was_nothing_to_do() {
        assertThat(table(o -> PatroniView.maintenance(o, new MaintenanceResult("pause", true, true, false))))
                .isEqualTo("Paused: maintenance mode on; Patroni will not fail over.\n");
        assertThat(table(o -> PatroniView.maintenance(o, new MaintenanceResult("resume", false, true, false))))
                .isEqualTo("Resumed: Patroni manages the cluster again.\n");
        assertThat(table(o -> PatroniView.maintenance(o, new MaintenanceResult("pause", true, false, false))))
                .isEqualTo("Patroni is already paused; nothing to do.\n");
        assertThat(table(o -> PatroniView.maintenance(o, new MaintenanceResult("resume", false, false, true))))
                .isEqualTo("Patroni is already running (not paused); nothing to do.\n");
        assertThat(table(o -> PatroniView.maintenance(o, new MaintenanceResult("pause", true, true, true))))
                .isEqualTo("Would pause Patroni (maintenance mode on).\n");
        assertThat(table(o -> PatroniView.maintenance(o, new MaintenanceResult("resume", false, true, true))))
                .isEqualTo("Would resume Patroni (maintenance mode off).\n");
    }

    @Test
    void their_json_is_the_result_in_snake_case() {
        assertThat(Renderer.json(new RestartResult("pg2", false, false, "restarted successfully"))).isEqualTo("""
                {
                  "member" : "pg2",
                  "pending_only" : false,
                  "dry_run" : false,
                  "patroni_message" : "restarted successfully"
                }""");
        assertThat(Renderer.json(new ReinitResult("pg3", true, true, null))).isEqualTo("""
                {
                  "member" : "pg3",
                  "force" : true,
                  "dry_run" : true,
                  "patroni_message" : null
                }""");
        assertThat(Renderer.json(new MaintenanceResult("pause", true, false, false))).isEqualTo("""
                {
                  "action" : "pause",
                  "paused" : true,
                  "changed" : false,
                  "dry_run" : false
                }""");
    }
}
