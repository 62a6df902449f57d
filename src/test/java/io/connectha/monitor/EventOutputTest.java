package io.connectha.monitor;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** The event lines and the --on-event command, with a real shell. */
class EventOutputTest {

    private static Event event(EventType type, String message) {
        return Event.of(Instant.parse("2026-12-05T14:00:00.123Z"), type, "lab", "gather", message);
    }

    private static void awaitTrue(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean() && System.nanoTime() < until) {
            Thread.sleep(20);
        }
    }

    @Test
    void the_command_gets_the_json_on_stdin_and_the_event_in_its_environment(@TempDir Path dir) throws Exception {
        Path got = dir.resolve("got");
        StringWriter stdout = new StringWriter();
        EventOutput out = new EventOutput(e -> "{\"type\":\"" + e.type() + "\"}", new EventOutput.Options(null,
                "printf '%s|%s|' \"$CONNECT_EVENT_TYPE\" \"$CONNECT_EVENT_CLUSTER\" >> " + got + "; cat >> " + got, Duration.ofSeconds(5)),
                new PrintWriter(stdout));
        out.start();
        out.emit(event(EventType.leader_changed, "the leader changed from pg1 to pg2"));
        awaitTrue(() -> Files.exists(got) && read(got).endsWith("\n"));
        out.close(Duration.ofSeconds(2));
        assertThat(read(got)).isEqualTo("leader_changed|lab|{\"type\":\"leader_changed\"}\n");
        assertThat(stdout.toString()).isEqualTo("{\"type\":\"leader_changed\"}" + System.lineSeparator());
        assertThat(out.hookFailures()).isZero();
    }

    @Test
    void a_command_that_hangs_is_killed_at_its_timeout_and_one_that_fails_is_counted_and_neither_holds_the_lines(@TempDir Path dir)
            throws Exception {
        Path file = dir.resolve("events.jsonl");
        EventOutput out = new EventOutput(e -> e.type().name(), new EventOutput.Options(file,
                "if [ \"$CONNECT_EVENT_TYPE\" = member_down ]; then sleep 30; else exit 3; fi", Duration.ofMillis(300)),
                new PrintWriter(new StringWriter()));
        out.start();
        Instant start = Instant.now();
        out.emit(event(EventType.member_down, "pg2 is down"));
        out.emit(event(EventType.member_up, "pg2 is back"));
        awaitTrue(() -> out.hookFailures() == 2);
        assertThat(out.hookFailures()).isEqualTo(2);
        assertThat(Duration.between(start, Instant.now())).as("the hung command was killed at 300 ms, not after its 30 s")
                .isLessThan(Duration.ofSeconds(5));
        out.close(Duration.ofSeconds(1));
        assertThat(Files.readAllLines(file)).containsExactly("member_down", "member_up");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-r-----");
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (java.io.IOException e) {
            return "";
        }
    }
}
