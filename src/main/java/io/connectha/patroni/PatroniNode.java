package io.connectha.patroni;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * One member as its own Patroni describes itself ({@code GET /patroni}): what a rolling restart,
 * a reload or a rolling upgrade follows member by member.
 *
 * @param postmasterStart   when its PostgreSQL started; a restart shows as a later one (null when PostgreSQL is down)
 * @param serverVersion     PostgreSQL's {@code server_version_num}, such as 150010; null when PostgreSQL is down
 * @param scheduledRestart  when Patroni will restart it, as Patroni wrote it; null when nothing is scheduled
 */
public record PatroniNode(String member, String role, String state, Integer timeline, Instant postmasterStart,
                          boolean pendingRestart, String scheduledRestart, String patroniVersion, Integer serverVersion,
                          String scope) {

    /** Patroni writes {@code 2026-12-05 10:38:20.491285+00:00}: ISO 8601 with a space for the T. */
    private static final DateTimeFormatter PATRONI_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss[.SSSSSS][.SSS]xxx");

    public static PatroniNode fromJson(String member, JsonNode n) {
        JsonNode scheduled = n.path("scheduled_restart");
        return new PatroniNode(member, Json.text(n, "role"), Json.text(n, "state"), Json.integer(n, "timeline"),
                instant(Json.text(n, "postmaster_start_time")), Boolean.TRUE.equals(Json.bool(n, "pending_restart")),
                scheduled.isObject() ? Json.text(scheduled, "schedule") : null, Json.text(n.path("patroni"), "version"),
                Json.integer(n, "server_version"), Json.text(n.path("patroni"), "scope"));
    }

    static Instant instant(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(text.strip(), PATRONI_TIME).toInstant();
        } catch (DateTimeParseException e) {
            try {
                return OffsetDateTime.parse(text.strip().replace(' ', 'T')).toInstant();
            } catch (DateTimeParseException again) {
                return null;
            }
        }
    }

    /** Patroni's roles for the leader: leader (3.x), master (2.x), primary, standby_leader. */
    public boolean isLeader() {
        return role != null && switch (role) {
            case "leader", "master", "primary", "standby_leader" -> true;
            default -> false;
        };
    }

    /** PostgreSQL's version as people write it: 150010 is 15.10, 90624 is 9.6.24. */
    public String postgresVersion() {
        if (serverVersion == null) {
            return null;
        }
        int v = serverVersion;
        return v >= 100000 ? v / 10000 + "." + v % 10000 : v / 10000 + "." + v / 100 % 100 + "." + v % 100;
    }
}
