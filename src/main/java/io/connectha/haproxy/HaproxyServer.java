package io.connectha.haproxy;

import java.time.Duration;

/**
 * A server of a backend as HAProxy's {@code show stat} reports it.
 *
 * @param status      UP, DOWN, MAINT, DRAIN; "UP 1/2" or "DOWN 1/2" while its health check is moving it between the two
 * @param checkStatus the last health check's result, such as L7OK or L7STS
 * @param sinceChange how long it has been in its current status
 */
public record HaproxyServer(String backend, String server, String status, String checkStatus, int currentSessions,
                            Duration sinceChange) {

    public boolean up() {
        return status != null && status.startsWith("UP");
    }

    /** Put out of service by an operator ("MAINT", or "MAINT (via ...)" when it tracks another server). */
    public boolean inMaintenance() {
        return status != null && status.startsWith("MAINT");
    }

    /** Drained: up, but given no new connections. */
    public boolean draining() {
        return status != null && status.startsWith("DRAIN");
    }
}
