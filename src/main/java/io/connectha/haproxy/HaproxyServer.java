package io.connectha.haproxy;

import java.time.Duration;

/**
 * A server of a backend as HAProxy's {@code show stat} reports it.
 *
 * @param status      UP, DOWN, MAINT, DRAIN, "UP 1/2" while rising, ...
 * @param checkStatus the last health check's result, such as L7OK or L7STS
 * @param sinceChange how long it has been in its current status
 */
public record HaproxyServer(String backend, String server, String status, String checkStatus, int currentSessions,
                            Duration sinceChange) {

    public boolean up() {
        return status != null && status.startsWith("UP");
    }
}
