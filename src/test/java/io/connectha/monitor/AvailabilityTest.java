package io.connectha.monitor;

import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class AvailabilityTest {

    /** Half a second into a second, so that outages below cross bucket boundaries. */
    private static final Instant T0 = Instant.parse("2026-12-05T14:00:00.500Z");

    private final ProbeTestClock clock = new ProbeTestClock(T0);
    private final Availability availability = new Availability(clock);

    @Test
    void nothing_observed_yet_is_fully_available_with_the_whole_hour_budget() {
        ProbeFigures.Window hour = availability.windows(99.9).get(0);

        assertThat(hour.name()).isEqualTo("1h");
        assertThat(hour.observed()).isEqualTo(Duration.ZERO);
        assertThat(hour.availability()).isEqualTo(1.0);
        assertThat(hour.budget()).isEqualTo(Duration.ofMillis(3600));
        assertThat(hour.budgetRemaining()).isEqualTo(Duration.ofMillis(3600));
    }

    @Test
    void budgets_at_99_9_are_3_6_s_an_hour_86_4_s_a_day_and_a_thousandth_of_uptime() {
        clock.advance(Duration.ofMinutes(10));

        var windows = availability.windows(99.9);

        assertThat(windows).extracting(ProbeFigures.Window::name).containsExactly("1h", "1d", "life");
        assertThat(windows.get(0).budget()).isEqualTo(Duration.ofMillis(3600));
        assertThat(windows.get(1).budget()).isEqualTo(Duration.ofMillis(86_400));
        assertThat(windows.get(2).length()).isEqualTo(Duration.ofMinutes(10));
        assertThat(windows.get(2).budget()).isEqualTo(Duration.ofMillis(600));
        assertThat(windows.get(0).observed()).isEqualTo(Duration.ofMinutes(10));
        assertThat(windows.get(1).observed()).isEqualTo(Duration.ofMinutes(10));
    }

    @Test
    void an_outage_across_second_boundaries_counts_to_the_millisecond() {
        clock.advance(Duration.ofSeconds(60));
        Instant from = clock.instant().plusMillis(250);       // .750 in its second
        availability.down(from);
        availability.up(from.plusMillis(2_600));              // ends at .350, three boundaries later
        clock.advance(Duration.ofSeconds(120));

        var windows = availability.windows(99.9);

        for (ProbeFigures.Window w : windows) {
            assertThat(w.down()).as(w.name()).isEqualTo(Duration.ofMillis(2_600));
        }
        ProbeFigures.Window hour = windows.get(0);
        assertThat(hour.observed()).isEqualTo(Duration.ofSeconds(180));
        assertThat(hour.availability()).isCloseTo(1 - 2.6 / 180, within(1e-12));
        assertThat(hour.budgetRemaining()).isEqualTo(Duration.ofMillis(1_000));
        ProbeFigures.Window life = windows.get(2);
        assertThat(life.budget()).isEqualTo(Duration.ofMillis(180));
        assertThat(life.budgetRemaining()).isEqualTo(Duration.ofMillis(180 - 2_600));
    }

    @Test
    void an_outage_in_progress_counts_up_to_now() {
        clock.advance(Duration.ofSeconds(10));
        availability.down(clock.instant());
        clock.advance(Duration.ofMillis(1_500));

        assertThat(availability.down(Availability.HOUR)).isEqualTo(Duration.ofMillis(1_500));
        clock.advance(Duration.ofSeconds(3));
        assertThat(availability.windows(99.9).get(0).down()).isEqualTo(Duration.ofMillis(4_500));
        assertThat(availability.windows(99.9).get(0).budgetRemaining()).isEqualTo(Duration.ofMillis(3_600 - 4_500));

        availability.up(clock.instant());
        clock.advance(Duration.ofSeconds(30));
        assertThat(availability.down(Availability.HOUR)).isEqualTo(Duration.ofMillis(4_500));
    }

    @Test
    void the_hour_window_forgets_an_outage_61_minutes_later_and_the_day_and_life_keep_it() {
        clock.advance(Duration.ofHours(2));
        Instant from = clock.instant();
        availability.down(from);
        availability.up(from.plusSeconds(5));
        clock.set(from.plusSeconds(5));

        assertThat(availability.down(Availability.HOUR)).isEqualTo(Duration.ofSeconds(5));
        clock.advance(Duration.ofMinutes(59));
        assertThat(availability.down(Availability.HOUR)).isEqualTo(Duration.ofSeconds(5));
        clock.set(from.plus(Duration.ofMinutes(61)));

        var windows = availability.windows(99.9);
        assertThat(windows.get(0).down()).isEqualTo(Duration.ZERO);
        assertThat(windows.get(0).availability()).isEqualTo(1.0);
        assertThat(windows.get(1).down()).isEqualTo(Duration.ofSeconds(5));
        assertThat(windows.get(1).observed()).isEqualTo(Duration.ofHours(3).plusMinutes(1));
        assertThat(windows.get(1).availability()).isCloseTo(1 - 5.0 / (181 * 60), within(1e-12));
        assertThat(windows.get(2).down()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void an_outage_that_straddles_the_hour_window_start_counts_only_its_part_inside() {
        clock.advance(Duration.ofHours(2));
        Instant from = clock.instant();                       // .500 in its second
        availability.down(from);
        availability.up(from.plusSeconds(10));
        clock.set(from.plus(Duration.ofHours(1)).plusSeconds(4));   // the window starts 4 s into the outage

        assertThat(availability.down(Availability.HOUR)).isEqualTo(Duration.ofSeconds(6));
    }

    @Test
    void the_day_window_forgets_after_a_day_while_life_keeps_the_total() {
        clock.advance(Duration.ofMinutes(30));
        availability.down(clock.instant());
        clock.advance(Duration.ofSeconds(20));
        availability.up(clock.instant());
        clock.advance(Duration.ofDays(1));

        // the window starts where the outage ended, mid-second: the boundary second counts by its share (resolution 1 s)
        assertThat(availability.down(Availability.DAY)).isEqualTo(Duration.ofMillis(250));
        clock.advance(Duration.ofSeconds(1));

        var windows = availability.windows(99.9);

        assertThat(windows.get(1).down()).isEqualTo(Duration.ZERO);
        assertThat(windows.get(1).observed()).isEqualTo(Duration.ofDays(1));
        assertThat(windows.get(2).down()).isEqualTo(Duration.ofSeconds(20));
        assertThat(windows.get(2).length()).isEqualTo(Duration.ofDays(1).plusMinutes(30).plusSeconds(21));
        assertThat(windows.get(2).availability()).isCloseTo(1 - 20.0 / (86_400 + 1_821), within(1e-12));
    }

    @Test
    void a_second_outage_the_ring_wrapped_over_does_not_count_an_old_bucket() {
        clock.advance(Duration.ofSeconds(5));
        availability.down(clock.instant());
        availability.up(clock.instant().plusMillis(300));
        // the same ring slot, one day and two seconds later
        clock.advance(Duration.ofDays(1).plusSeconds(2));
        availability.down(clock.instant());
        availability.up(clock.instant().plusMillis(100));
        clock.advance(Duration.ofSeconds(1));

        assertThat(availability.down(Availability.DAY)).isEqualTo(Duration.ofMillis(100));
        assertThat(availability.windows(99.9).get(2).down()).isEqualTo(Duration.ofMillis(400));
    }

    @Test
    void an_outage_longer_than_a_day_fills_the_day_window() {
        clock.advance(Duration.ofMinutes(1));
        availability.down(clock.instant());
        clock.advance(Duration.ofDays(2));
        availability.up(clock.instant());

        var windows = availability.windows(99.9);

        assertThat(windows.get(1).down()).isEqualTo(Duration.ofDays(1));
        assertThat(windows.get(1).availability()).isEqualTo(0.0);
        assertThat(windows.get(1).budgetRemaining()).isEqualTo(Duration.ofMillis(86_400).minus(Duration.ofDays(1)));
        assertThat(windows.get(2).down()).isEqualTo(Duration.ofDays(2));
    }

    @Test
    void a_second_down_while_down_keeps_the_first_start() {
        clock.advance(Duration.ofSeconds(1));
        availability.down(clock.instant());
        availability.down(clock.instant().plusSeconds(2));
        availability.up(clock.instant().plusSeconds(3));
        availability.up(clock.instant().plusSeconds(9));
        clock.advance(Duration.ofSeconds(10));

        assertThat(availability.down(Availability.HOUR)).isEqualTo(Duration.ofSeconds(3));
    }
}
