package io.connectha.dashboard;

import io.connectha.cluster.Problem;
import org.jline.utils.AttributedString;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static io.connectha.dashboard.Snapshots.T0;
import static org.assertj.core.api.Assertions.assertThat;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class DashboardScreenTest {

    private static final long MB = 1 << 20;
    private final DashboardModel model = new DashboardModel(DashboardModel.LagThresholds.fromMaximumLagOnFailover(16 * MB));

    private static ViewState view(boolean color) {
        return ViewState.initial(Duration.ofSeconds(1), color);
    }

    private static String text(List<AttributedString> lines) {
        return String.join("\n", lines.stream().map(AttributedString::toString).toList());
    }

    private static String ansi(List<AttributedString> lines) {
        return String.join("\n", lines.stream().map(l -> l.toAnsi(256, org.jline.utils.AttributedCharSequence.ForceMode.None)).toList());
    }

    private static String line(List<AttributedString> lines, String containing) {
        return lines.stream().map(AttributedString::toString).filter(l -> l.contains(containing)).findFirst().orElseThrow();
    }

    @Test
    void a_wide_screen_shows_every_panel_and_member_in_exactly_the_screen_size() {
        model.accept(Snapshots.healthy().lag("pg2", 3 * MB).at(T0), T0);
        List<AttributedString> lines = DashboardScreen.render(model, view(false), 160, 50, T0);
        assertThat(lines).hasSize(50).allSatisfy(l -> assertThat(l.columnLength()).isLessThanOrEqualTo(160));
        assertThat(text(lines)).contains("cluster lab", "leader pg1", "timeline 1", "every 1.0 s", "Members (3)", "Replication slots (2)",
                "HAProxy 127.0.0.1:28100", "write port reaches pg1", "PgBouncer", "app/app", "etcd", "Problems (0)",
                "No problems found.", "Events");
        assertThat(line(lines, "pg2  ")).contains("replica", "streaming", "3.0 MB", "yes", "127.0.0.12:28002");
        assertThat(lines.get(49).toString()).startsWith("q quit");
    }

    @Test
    void a_narrow_screen_drops_host_trend_and_timeline_but_keeps_name_role_state_lag_and_streaming() {
        model.accept(Snapshots.healthy().at(T0), T0);
        List<AttributedString> lines = DashboardScreen.render(model, view(false), 50, 50, T0);
        String header = line(lines, "MEMBER");
        assertThat(header).contains("MEMBER", "ROLE", "STATE", "LAG").doesNotContain("HOST", "TREND", " TL ");
        assertThat(lines).allSatisfy(l -> assertThat(l.columnLength()).isLessThanOrEqualTo(50));
        String wide = line(DashboardScreen.render(model, view(false), 160, 50, T0), "MEMBER");
        assertThat(wide).contains("HOST", "TREND", "TL");
    }

    @Test
    void without_colour_no_escape_code_is_written_and_with_colour_states_are_coloured() {
        model.accept(Snapshots.healthy().down("pg3").problem(Problem.critical("postgres_unreachable", "pg3", "PostgreSQL on pg3: refused")).at(T0), T0);
        assertThat(ansi(DashboardScreen.render(model, view(false), 120, 50, T0))).doesNotContain("\u001b");
        String coloured = ansi(DashboardScreen.render(model, view(true), 120, 50, T0));
        assertThat(coloured).contains("\u001b[").contains("\u001b[32m"); // green for ok
        assertThat(coloured).contains("\u001b[31;1mpostgres down"); // bold red for the critical member and problem
    }

    @Test
    void a_component_that_stopped_answering_says_how_old_its_data_is_and_marks_it_old() {
        model.accept(Snapshots.healthy().at(T0), T0);
        model.accept(Snapshots.healthy().haproxyDown().pgbouncerDown().down("pg3").at(T0.plusSeconds(12)), T0.plusSeconds(12));
        List<AttributedString> lines = DashboardScreen.render(model, view(false), 160, 50, T0.plusSeconds(12));
        assertThat(line(lines, "HAProxy 127")).contains("does not answer, last seen 12 s ago");
        assertThat(line(lines, "PgBouncer 127")).contains("does not answer, last seen 12 s ago");
        // the servers shown are the last ones HAProxy gave, marked as such, never as current
        assertThat(line(lines, "write  pg1")).contains("UP?").contains("(old)");
        assertThat(line(lines, "pg3  ")).contains("postgres down (last seen 12 s ago)");
    }

    @Test
    void a_poll_that_stops_returning_shows_the_age_of_the_data_in_the_header() {
        model.accept(Snapshots.healthy().at(T0), T0);
        assertThat(DashboardScreen.render(model, view(false), 160, 50, T0.plusSeconds(1)).get(0).toString()).doesNotContain("old");
        assertThat(DashboardScreen.render(model, view(false), 160, 50, T0.plusSeconds(9)).get(0).toString()).contains("data 9 s old");
    }

    @Test
    void a_short_screen_folds_panels_without_focus_and_keeps_the_newest_events_at_the_bottom() {
        model.accept(Snapshots.healthy().at(T0), T0);
        for (int i = 1; i <= 30; i++) {
            model.accept((i % 2 == 1 ? Snapshots.healthy().leader("pg2") : Snapshots.healthy()).at(T0), T0.plusSeconds(i));
        }
        List<AttributedString> lines = DashboardScreen.render(model, view(false).withFocus(ViewState.Panel.ETCD), 120, 20, T0.plusSeconds(30));
        String all = text(lines);
        assertThat(lines).hasSize(20);
        assertThat(all).contains("> etcd").contains("ENDPOINT").doesNotContain("SLOT ").doesNotContain("CL ACTIVE");
        // the 30th snapshot's events, newest last, just above the footer
        assertThat(text(lines.subList(15, 19))).contains("leader changed: pg2 -> pg1");
        assertThat(lines.get(18).toString()).contains("HAProxy write port now reaches pg1");
    }

    @Test
    void help_and_a_pending_confirmation_are_drawn_in_the_screen() {
        model.accept(Snapshots.healthy().at(T0), T0);
        assertThat(text(DashboardScreen.render(model, view(false).withHelp(true), 120, 30, T0))).contains("space    pause", "q        quit");
        List<AttributedString> asking = DashboardScreen.render(model, view(false).withPrompt("Switch over from pg1 to pg2 now?"), 120, 30, T0);
        assertThat(asking.get(29).toString()).contains("Switch over from pg1 to pg2 now? [y/N]");
    }

    @Test
    void before_the_first_answer_it_says_it_is_waiting() {
        assertThat(text(DashboardScreen.render(model, view(false), 80, 20, T0))).contains("Waiting for the first answer");
    }

    @Test
    void maintenance_mode_and_a_paused_refresh_show_in_the_header() {
        model.accept(Snapshots.healthy().paused(true).at(T0), T0);
        String header = DashboardScreen.render(model, view(false).withRefreshPaused(true), 160, 30, T0).get(0).toString();
        assertThat(header).contains("REFRESH PAUSED", "MAINTENANCE (Patroni paused)");
    }

    @Test
    void a_narrow_header_keeps_leader_timeline_and_maintenance_and_drops_the_title_first() {
        model.accept(Snapshots.healthy().paused(true).at(T0), T0);
        String header = DashboardScreen.render(model, view(false), 60, 30, T0).get(0).toString();
        assertThat(header).contains("leader pg1", "timeline 1", "MAINTENANCE (Patroni paused)").doesNotContain("connect ha dashboard");
        assertThat(header.length()).isLessThanOrEqualTo(60);
    }

    @Test
    void a_narrow_confirmation_shortens_the_question_but_keeps_the_answer_keys() {
        model.accept(Snapshots.healthy().at(T0), T0);
        String footer = DashboardScreen.render(model, view(false).withPrompt("Pause Patroni (maintenance mode: no automatic failover)?"),
                40, 20, T0).get(19).toString();
        assertThat(footer).hasSize(40).endsWith("… [y/N] ").startsWith(" Pause Patroni");
    }

    @Test
    void names_and_messages_from_the_servers_are_shown_escaped_never_sent_raw_to_the_terminal() {
        model.accept(Snapshots.healthy().leader("pg\u001b[31m1")
                .problem(Problem.critical("two_lines", "pg2", "first\nsecond")).at(T0), T0);
        List<AttributedString> lines = DashboardScreen.render(model, view(true), 160, 50, T0);
        assertThat(text(lines)).contains("leader pg\\e[31m1", "first\\nsecond").doesNotContain("\u001b", "\n second");
        assertThat(lines).allSatisfy(l -> assertThat(l.toString()).doesNotContain("\n").doesNotContain("\u001b"));
    }
}
