package io.connectha.render;

import io.connectha.patroni.PatroniService.MaintenanceResult;
import io.connectha.patroni.PatroniService.ReinitResult;
import io.connectha.patroni.RollingRestart;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
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

    private static RollingRestart.MemberRestart member(String name, String role, RollingRestart.Action action, String reason,
                                                       String message, Duration back) {
        return new RollingRestart.MemberRestart(name, role, true, action, reason, message, Instant.parse("2026-12-05T10:38:20.491285Z"),
                back == null ? null : Instant.parse("2026-12-05T10:44:25Z"), back);
    }

    @Test
    void restart_shows_each_member_in_the_order_taken_and_says_how_the_round_ended() {
        RollingRestart.Result done = new RollingRestart.Result(null, true, false, null, RollingRestart.RoleFilter.any, null, List.of(
                member("pg2", "replica", RollingRestart.Action.restarted, null, "restarted successfully", Duration.ofMillis(3921)),
                member("pg1", "leader", RollingRestart.Action.restarted, null, "restarted successfully", Duration.ofMillis(4100))), true, null);
        assertThat(table(o -> PatroniMemberView.restart(o, done))).contains("pg2     replica  *", "restarted", "3.9 s",
                "2026-12-05 10:38:20", "2026-12-05 10:44:25").endsWith("Restarted 2 member(s); each is back.\n");
        RollingRestart.Result stopped = new RollingRestart.Result(null, false, false, null, RollingRestart.RoleFilter.any, null, List.of(
                member("pg2", "replica", RollingRestart.Action.failed, "pg2 did not stream again within the wait", "restarted successfully", null),
                member("pg1", "leader", RollingRestart.Action.not_started, null, null, null)), false, null);
        assertThat(table(o -> PatroniMemberView.restart(o, stopped))).contains("failed", "did not stream again", "not started")
                .endsWith("the members after it were left alone.\n");
        RollingRestart.Result none = new RollingRestart.Result(null, true, false, null, RollingRestart.RoleFilter.replica, null, List.of(), true, null);
        assertThat(table(o -> PatroniMemberView.restart(o, none))).isEqualTo("No member with the role replica to restart; nothing to do.\n");
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
        // a one-member restart keeps the fields it had before restart took several members, and adds
        assertThat(Renderer.json(new RollingRestart.Result("pg2", false, false, "restarted successfully", RollingRestart.RoleFilter.any,
                null, List.of(member("pg2", "replica", RollingRestart.Action.restarted, null, "restarted successfully",
                Duration.ofMillis(3921))), true, null))).startsWith("""
                {
                  "member" : "pg2",
                  "pending_only" : false,
                  "dry_run" : false,
                  "patroni_message" : "restarted successfully",
                  "role" : "any",
                  "scheduled_at" : null,
                  "members" : [ {
                    "member" : "pg2",
                    "role" : "replica",
                    "pending_restart" : true,
                    "action" : "restarted",
                    "reason" : null,
                    "patroni_message" : "restarted successfully",
                    "started_before" : "2026-12-05T10:38:20.491285Z",
                    "started_after" : "2026-12-05T10:44:25Z",
                    "back_ms" : 3921
                  } ],
                  "complete" : true,
                  "leader_first_because" : null
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
