package io.connectha.patroni;

import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class RtoBudgetTest {

    private static final Duration TARGET = Duration.ofSeconds(30);

    @Test
    void the_default_lab_profile_is_34_5_s_an_upper_bound_of_its_measured_30_8_s_and_over_30_s() {
        // Patroni's 30/10/10, HAProxy every 1 s with rise 2 (docs/drills.md: 25.5 s median, 30.8 s worst)
        RtoBudget b = RtoBudget.of(30, Duration.ofSeconds(1), 2, TARGET);
        assertThat(b.terms()).extracting(RtoBudget.Term::name).containsExactly("ttl", "promotion", "haproxy", "reconnect");
        assertThat(b.terms()).extracting(RtoBudget.Term::value).containsExactly(Duration.ofSeconds(30), Duration.ofSeconds(2),
                Duration.ofSeconds(2), Duration.ofMillis(500));
        assertThat(b.worstCase()).isEqualTo(Duration.ofMillis(34_500));
        assertThat(b.worstCase()).isGreaterThan(Duration.ofMillis(30_800));
        assertThat(b.overTarget()).isTrue();
        assertThat(b.typical(10)).isEqualTo(Duration.ofMillis(29_500));
    }

    @Test
    void the_fast_lab_profile_is_13_s_an_upper_bound_of_its_measured_10_0_s() {
        // ttl 10, loop_wait 2, retry_timeout 4, HAProxy every 500 ms with rise 1 (docs/drills.md: 9.8 s median, 10.0 s worst)
        RtoBudget b = RtoBudget.of(10, Duration.ofMillis(500), 1, TARGET);
        assertThat(b.worstCase()).isEqualTo(Duration.ofSeconds(13));
        assertThat(b.overTarget()).isFalse();
        assertThat(b.remedy(10, 2, 4, Duration.ofMillis(500), 1)).isEmpty();
    }

    @Test
    void over_target_names_the_ttl_that_fits_and_the_retry_timeout_patronis_rule_then_needs() {
        RtoBudget b = RtoBudget.of(30, Duration.ofSeconds(1), 2, TARGET);
        RtoBudget.Remedy r = b.remedy(30, 10, 10, Duration.ofSeconds(1), 2).orElseThrow();
        assertThat(r.setting()).isEqualTo("patroni.ttl");
        assertThat(r.to()).isEqualTo("25 s");
        assertThat(r.alsoRetryTimeout()).isEqualTo(7);
        assertThat(r.worstCase()).isEqualTo(Duration.ofMillis(29_500));
        assertThat(b.overTargetMessage(30, 10, 10, Duration.ofSeconds(1), 2)).isEqualTo("the worst-case node-loss RTO 34.5 s (ttl 30 s"
                + " + promotion 2 s + HAProxy 2 s + reconnect 0.5 s) is over rto_target 30 s; patroni.ttl 30 s -> 25 s (and"
                + " patroni.retry_timeout 10 -> 7, for Patroni's timing rule) would make it 29.5 s");
    }

    @Test
    void when_rise_1_is_enough_it_is_named_first() {
        // 26 + 2 + 3 x 1 + 0.5 = 31.5: rise 1 takes 2 s off, to 29.5
        RtoBudget b = RtoBudget.of(26, Duration.ofSeconds(1), 3, TARGET);
        RtoBudget.Remedy r = b.remedy(26, 10, 8, Duration.ofSeconds(1), 3).orElseThrow();
        assertThat(r.describe()).isEqualTo("haproxy.rise 3 -> 1 would make it 29.5 s");
    }

    @Test
    void a_ttl_that_already_fits_the_timing_rule_needs_no_retry_timeout_change() {
        RtoBudget b = RtoBudget.of(40, Duration.ofMillis(500), 1, TARGET);
        RtoBudget.Remedy r = b.remedy(40, 2, 4, Duration.ofMillis(500), 1).orElseThrow();
        assertThat(r.describe()).isEqualTo("patroni.ttl 40 s -> 27 s would make it 30 s");
    }
}
