package io.connectha.monitor;

import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ProbePathTest {

    private static final Instant T0 = Instant.parse("2026-12-05T14:00:00Z");
    private static final long MS = 1_000_000L;

    private final ProbeTestClock clock = new ProbeTestClock(T0);
    private final ProbePath path = new ProbePath("write", clock);

    @Test
    void counters_and_a_cumulative_histogram_with_failed_requests_observed_too() {
        path.record(T0, MS, true, null, null);                 // 1 ms: le 0.001 (inclusive)
        path.record(T0, 3 * MS, true, null, null);             // le 0.005
        path.record(T0, 40 * MS, true, null, null);            // le 0.05
        path.record(T0, 1_000 * MS, false, "timed out", null); // le 1
        path.record(T0, 3_000 * MS, false, "timed out", null); // +Inf

        ProbeFigures.Path p = path.snapshot(99.9, false);

        assertThat(p.path()).isEqualTo("write");
        assertThat(p.ok()).isEqualTo(3);
        assertThat(p.failed()).isEqualTo(2);
        assertThat(p.bucketBounds()).containsExactly(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5);
        assertThat(p.bucketCounts()).containsExactly(1, 1, 2, 2, 2, 3, 3, 3, 3, 4, 4, 5);
        assertThat(p.sumSeconds()).isCloseTo(4.044, within(1e-9));
        assertThat(p.up()).isFalse();
        assertThat(p.readStaleness()).isNull();
    }

    @Test
    void an_outage_runs_from_the_first_failed_start_to_the_first_successful_start() {
        path.record(T0, MS, true, null, null);
        Instant firstFailure = T0.plusMillis(100);
        ProbePath.Change failing = path.record(firstFailure, 900 * MS, false, "could not reach HAProxy write port", null);
        ProbePath.Change again = path.record(T0.plusMillis(1_000), 900 * MS, false, "could not reach HAProxy write port", null);
        clock.set(T0.plusMillis(1_500));

        ProbeFigures.Path during = path.snapshot(99.9, false);
        assertThat(failing).isEqualTo(new ProbePath.Failing(firstFailure, "could not reach HAProxy write port"));
        assertThat(again).isNull();
        assertThat(during.up()).isFalse();
        assertThat(during.outages()).isEqualTo(1);
        assertThat(during.currentOutage()).isEqualTo(Duration.ofMillis(1_400));
        assertThat(during.lastOutage()).isNull();

        ProbePath.Change recovered = path.record(T0.plusMillis(2_300), 2 * MS, true, null, null);
        clock.set(T0.plusSeconds(10));
        ProbeFigures.Path after = path.snapshot(99.9, false);

        assertThat(recovered).isEqualTo(new ProbePath.Recovered(T0.plusMillis(2_300), Duration.ofMillis(2_200)));
        assertThat(after.up()).isTrue();
        assertThat(after.currentOutage()).isNull();
        assertThat(after.lastOutage()).isEqualTo(Duration.ofMillis(2_200));
        assertThat(after.outages()).isEqualTo(1);
        assertThat(after.window("1h").down()).isEqualTo(Duration.ofMillis(2_200));
        assertThat(after.window("life").availability()).isCloseTo(1 - 2.2 / 10, within(1e-12));
        assertThat(after.ok()).isEqualTo(2);
        assertThat(after.failed()).isEqualTo(2);
    }

    @Test
    void a_probe_whose_first_request_fails_has_been_down_since_it_started() {
        clock.set(T0.plusMillis(700));
        ProbePath.Change failing = path.record(T0.plusMillis(700), 5 * MS, false, "its table is not set up", null);
        ProbePath.Change recovered = path.record(T0.plusSeconds(4), 5 * MS, true, null, null);

        assertThat(failing).isEqualTo(new ProbePath.Failing(T0, "its table is not set up"));
        assertThat(recovered).isEqualTo(new ProbePath.Recovered(T0.plusSeconds(4), Duration.ofSeconds(4)));
    }

    @Test
    void before_any_request_the_path_is_neither_up_nor_in_an_outage() {
        ProbeFigures.Path p = path.snapshot(99.9, false);

        assertThat(p.up()).isFalse();
        assertThat(p.currentOutage()).isNull();
        assertThat(p.ok() + p.failed()).isZero();
        assertThat(p.bucketCounts()).hasSize(12).containsOnly(0L);
        assertThat(p.window("1d").availability()).isEqualTo(1.0);
    }

    @Test
    void read_staleness_is_now_minus_the_heartbeat_read_and_a_missing_row_gives_a_lower_bound() {
        ProbePath read = new ProbePath("read", clock);
        read.record(T0, MS, true, null, T0.minusMillis(150));
        clock.set(T0.plusMillis(50));
        assertThat(read.snapshot(99.9, true).readStaleness()).isEqualTo(Duration.ofMillis(200));

        ProbePath fresh = new ProbePath("read", clock);
        fresh.heartbeatNotBefore(T0);
        fresh.record(T0.plusMillis(10), MS, true, null, null);
        assertThat(fresh.snapshot(99.9, true).readStaleness()).isEqualTo(Duration.ofMillis(50));
        assertThat(fresh.snapshot(99.9, false).readStaleness()).isNull();
    }

    @Test
    void a_snapshot_does_not_move_with_later_requests() {
        path.record(T0, MS, true, null, null);
        ProbeFigures.Path before = path.snapshot(99.9, false);
        long[] counts = before.bucketCounts();
        counts[0] = 99;
        path.record(T0, MS, true, null, null);

        assertThat(before.ok()).isEqualTo(1);
        assertThat(before.bucketCounts()[0]).isEqualTo(1);
        assertThat(path.snapshot(99.9, false).bucketCounts()[0]).isEqualTo(2);
    }
}
