package io.connectha.cli.patroni;

import io.connectha.error.ConnectError;

import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/** A {@code --scheduled TIME} as Patroni takes it: ISO 8601 with an offset. */
final class ScheduledTime {

    private ScheduledTime() {
    }

    static void check(String scheduled) {
        if (scheduled == null) {
            return;
        }
        try {
            OffsetDateTime.parse(scheduled);
        } catch (DateTimeParseException e) {
            throw ConnectError.invalidInput("--scheduled: '" + scheduled + "' is not ISO 8601 with an offset, such as 2026-11-24T03:00+00:00");
        }
    }
}
