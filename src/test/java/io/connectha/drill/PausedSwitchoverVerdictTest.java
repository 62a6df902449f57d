package io.connectha.drill;

import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The two criteria --pause-pooler adds: no failed write, and no client waiting longer than the promotion + 1 s. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class PausedSwitchoverVerdictTest {

    private static final FailoverVerdict.Thresholds THRESHOLDS = new FailoverVerdict.Thresholds(Duration.ofSeconds(30), 0, 0.05,
            Duration.ofSeconds(2), Duration.ofSeconds(60));

    private static FailoverVerdict judge(FailoverVerdict.Pooled pooled) {
        return FailoverVerdict.judge(new FailoverVerdict.Observed(FaultKind.SWITCHOVER, true, "pg1", "pg2", null, Duration.ofMillis(2727),
                0, 0, 0.0, Duration.ofMillis(15), Duration.ofSeconds(8), Duration.ofSeconds(8), null, null, pooled), THRESHOLDS);
    }

    private static List<Boolean> pooledChecks(FailoverVerdict v) {
        return v.checks().stream().filter(c -> c.criterion() == FailoverVerdict.Criterion.POOLER_NO_FAILED_WRITES
                || c.criterion() == FailoverVerdict.Criterion.POOLER_CLIENT_WAIT).map(FailoverVerdict.Check::passed).toList();
    }

    @Test
    void a_wait_within_the_promotion_plus_one_second_and_no_failed_write_pass() {
        FailoverVerdict v = judge(new FailoverVerdict.Pooled(0, Duration.ofMillis(3296), Duration.ofMillis(2296)));
        assertThat(pooledChecks(v)).containsExactly(true, true);
        assertThat(v.passed()).isTrue();
    }

    @Test
    void a_wait_one_millisecond_over_fails_as_does_a_single_failed_write() {
        assertThat(pooledChecks(judge(new FailoverVerdict.Pooled(0, Duration.ofMillis(3297), Duration.ofMillis(2296)))))
                .containsExactly(true, false);
        assertThat(pooledChecks(judge(new FailoverVerdict.Pooled(1, Duration.ofMillis(2500), Duration.ofMillis(2296)))))
                .containsExactly(false, true);
    }

    @Test
    void a_promotion_never_confirmed_fails_the_wait() {
        assertThat(pooledChecks(judge(new FailoverVerdict.Pooled(0, Duration.ofMillis(100), null)))).containsExactly(true, false);
    }

    @Test
    void without_pause_pooler_the_criteria_are_the_ones_there_were() {
        FailoverVerdict v = judge(null);
        assertThat(v.checks()).extracting(FailoverVerdict.Check::criterion).doesNotContain(FailoverVerdict.Criterion.POOLER_NO_FAILED_WRITES,
                FailoverVerdict.Criterion.POOLER_CLIENT_WAIT);
    }

    @Test
    void the_report_takes_each_phase_from_the_switchover_and_only_the_settings_when_it_failed_early() {
        var phases = List.of(new io.connectha.status.PooledSwitchoverResult.Phase("pause", Duration.ofMillis(99)),
                new io.connectha.status.PooledSwitchoverResult.Phase("switchover", Duration.ofMillis(2296)),
                new io.connectha.status.PooledSwitchoverResult.Phase("steer", Duration.ofMillis(5)),
                new io.connectha.status.PooledSwitchoverResult.Phase("path", Duration.ofMillis(96)),
                new io.connectha.status.PooledSwitchoverResult.Phase("resume", Duration.ofMillis(54)));
        var result = new io.connectha.status.PooledSwitchoverResult(null, new io.connectha.status.PooledSwitchoverResult.Pooler(
                "127.0.0.10:23650", List.of("app"), List.of("127.0.0.10:23640"), true, Duration.ofMillis(2556), true), phases, null);
        FailoverDrill.PausePooler settings = new FailoverDrill.PausePooler(Duration.ofSeconds(5), io.connectha.status.PooledSwitchover.Steer.always);
        DrillReport.Pooler p = FailoverDrill.pooler(settings, result);
        assertThat(p).isEqualTo(new DrillReport.Pooler(List.of("app"), Duration.ofSeconds(5), true, Duration.ofMillis(99),
                Duration.ofMillis(2296), Duration.ofMillis(5), Duration.ofMillis(96), Duration.ofMillis(54), Duration.ofMillis(2556)));
        assertThat(FailoverDrill.pooler(settings, null)).isEqualTo(new DrillReport.Pooler(List.of(), Duration.ofSeconds(5), true,
                null, null, null, null, null, null));
    }
}
