package io.connectha.dashboard;

import org.jline.terminal.impl.DumbTerminal;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;

import static io.connectha.dashboard.Snapshots.T0;
import static org.assertj.core.api.Assertions.assertThat;

/** The keys, and above all that s and p change nothing without a y. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class DashboardKeysTest {

    private final List<String> done = new CopyOnWriteArrayList<>();
    private final DashboardActions actions = new DashboardActions() {
        @Override
        public SwitchoverPlan planSwitchover() {
            return new SwitchoverPlan("pg1", "pg2");
        }

        @Override
        public Duration switchover(SwitchoverPlan plan) {
            done.add("switchover " + plan.leader() + " -> " + plan.candidate());
            return Duration.ofSeconds(2);
        }

        @Override
        public void pausePatroni(boolean pause) {
            done.add(pause ? "pause" : "resume");
        }
    };
    private final DashboardModel model = new DashboardModel(DashboardModel.LagThresholds.fromMaximumLagOnFailover(1 << 24));
    private final DumbTerminal terminal;
    private final TerminalDashboard dashboard;

    DashboardKeysTest() throws IOException {
        terminal = new DumbTerminal("test", "dumb", new ByteArrayInputStream(new byte[0]), new ByteArrayOutputStream(), StandardCharsets.UTF_8);
        model.accept(Snapshots.healthy().at(T0), T0);
        dashboard = new TerminalDashboard(terminal, () -> Snapshots.healthy().at(Instant.now()), actions, model,
                ViewState.initial(Duration.ofSeconds(1), false), Clock.systemUTC());
    }

    @AfterEach
    void close() throws IOException {
        terminal.close();
    }

    private static void await(String what, BooleanSupplier condition) {
        Instant until = Instant.now().plusSeconds(5);
        while (!condition.getAsBoolean()) {
            assertThat(Instant.now()).as(what).isBefore(until);
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Test
    void s_asks_first_and_y_switches_over_to_the_planned_candidate() {
        dashboard.key('s');
        await("the question", () -> dashboard.view().prompt() != null);
        assertThat(dashboard.view().prompt()).isEqualTo("Switch over from pg1 to pg2 now?");
        assertThat(done).isEmpty();
        dashboard.key('y');
        await("the switchover", () -> done.contains("switchover pg1 -> pg2"));
        await("the outcome", () -> String.valueOf(dashboard.view().message()).startsWith("Switchover done"));
        assertThat(model.events()).extracting(DashboardModel.Event::text).contains("Switchover done: pg2 leads (2.0 s).");
    }

    @Test
    void any_other_answer_cancels_and_nothing_is_done() {
        dashboard.key('s');
        await("the question", () -> dashboard.view().prompt() != null);
        dashboard.key('n');
        dashboard.key('p');
        dashboard.key('q'); // q answers the question too: it does not quit mid-question
        assertThat(dashboard.view().prompt()).isNull();
        assertThat(dashboard.view().message()).isEqualTo("Cancelled.");
        assertThat(dashboard.quitRequested()).isFalse();
        assertThat(done).isEmpty();
    }

    @Test
    void p_pauses_a_running_patroni_after_y() {
        dashboard.key('p');
        assertThat(dashboard.view().prompt()).startsWith("Pause Patroni");
        dashboard.key('y');
        await("the pause", () -> done.contains("pause"));
    }

    @Test
    void space_plus_minus_tab_help_and_q() {
        dashboard.key(' ');
        assertThat(dashboard.view().refreshPaused()).isTrue();
        dashboard.key('+');
        assertThat(dashboard.view().interval()).isEqualTo(Duration.ofSeconds(2));
        dashboard.key('-');
        dashboard.key('-');
        assertThat(dashboard.view().interval()).isEqualTo(Duration.ofMillis(500));
        dashboard.key('\t');
        assertThat(dashboard.view().focus()).isEqualTo(ViewState.Panel.SLOTS);
        dashboard.key('?');
        assertThat(dashboard.view().help()).isTrue();
        dashboard.key('x');
        assertThat(dashboard.view().help()).isFalse();
        dashboard.key('q');
        assertThat(dashboard.quitRequested()).isTrue();
    }
}
