package io.connectha.haproxy;

import java.time.Duration;

/**
 * A server of a backend as HAProxy's {@code show stat} reports it.
 *
 * @param status      UP, DOWN, MAINT, DRAIN; "UP 1/2" or "DOWN 1/2" while its health check is moving it between the two
 * @param checkStatus the last health check's result, such as L7OK or L7STS
 * @param sinceChange how long it has been in its current status
 * @param address     where HAProxy sends its connections ({@code addr}, host:port), or null when the export lacks it
 * @param member      the member of the cluster file at that address, or null when none is (see {@link HaproxyMembers})
 */
public record HaproxyServer(String backend, String server, String status, String checkStatus, int currentSessions,
                            Duration sinceChange, String address, String member) {

    public HaproxyServer(String backend, String server, String status, String checkStatus, int currentSessions, Duration sinceChange) {
        this(backend, server, status, checkStatus, currentSessions, sinceChange, null, null);
    }

    public HaproxyServer withMember(String member) {
        return new HaproxyServer(backend, server, status, checkStatus, currentSessions, sinceChange, address, member);
    }

    /** The member's name, or the server's own when no member is at its address. */
    public String memberOrServer() {
        return member != null ? member : server;
    }

    /** HAProxy's name for the server, and the member at its address when that is another name: {@code pg_node1 (db-a)}. */
    public String label() {
        return member == null || member.equals(server) ? server : server + " (" + member + ")";
    }

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
