package io.connectha.net;

import io.connectha.error.ConnectError;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class FirstAnswerTest {

    private static final Function<String, ConnectError> LATE = t -> new ConnectError(ConnectError.Kind.UNREACHABLE, t + " is late");

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void the_first_answer_wins_without_waiting_for_a_hung_target() {
        long start = System.nanoTime();
        String answer = FirstAnswer.among(List.of("hung", "live"), t -> {
            if (t.equals("hung")) {
                sleep(10_000);
            }
            return t + " answered";
        }, LATE, Duration.ofSeconds(5));
        assertThat(answer).isEqualTo("live answered");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
    }

    @Test
    void targets_still_silent_at_the_deadline_are_late_and_the_first_one_is_named() {
        long start = System.nanoTime();
        assertThatThrownBy(() -> FirstAnswer.among(List.of("pg1", "pg2"), t -> {
            sleep(10_000);
            return t;
        }, LATE, Duration.ofMillis(300))).isInstanceOf(ConnectError.class).hasMessage("pg1 is late");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(250), Duration.ofSeconds(2));
    }

    @Test
    void a_failure_says_more_than_a_silence() {
        assertThatThrownBy(() -> FirstAnswer.among(List.of("pg1", "pg2"), t -> {
            if (t.equals("pg1")) {
                throw new ConnectError(ConnectError.Kind.UNREACHABLE, "pg1 refused the connection");
            }
            throw new ConnectError(ConnectError.Kind.FAILURE, "pg2 answered 503");
        }, LATE, Duration.ofSeconds(2))).hasMessage("pg2 answered 503");
    }

    @Test
    void refused_credentials_end_the_wait_at_once() {
        long start = System.nanoTime();
        assertThatThrownBy(() -> FirstAnswer.among(List.of("hung", "pg2"), t -> {
            if (t.equals("hung")) {
                sleep(10_000);
                return t;
            }
            throw ConnectError.authenticationFailed("PostgreSQL on pg2", "10.0.0.2:5432", null);
        }, LATE, Duration.ofSeconds(5))).satisfies(e -> assertThat(((ConnectError) e).kind()).isEqualTo(ConnectError.Kind.AUTHENTICATION_FAILED));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
    }

    @Test
    void an_unexpected_exception_becomes_a_one_line_failure() {
        assertThatThrownBy(() -> FirstAnswer.among(List.of("pg1"), t -> {
            throw new IllegalStateException("bad state\nsecond line");
        }, LATE, Duration.ofSeconds(1))).isInstanceOf(ConnectError.class).hasMessage("bad state");
    }
}
