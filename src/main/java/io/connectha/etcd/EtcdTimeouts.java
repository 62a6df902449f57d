package io.connectha.etcd;

import java.time.Duration;

/**
 * How long etcd gets: to open a TCP connection, and to answer one request (connecting included).
 * A dead or black-holed member must show as down within a few seconds, never hang a cron job.
 */
public record EtcdTimeouts(Duration connect, Duration request) {

    public static final EtcdTimeouts DEFAULT = new EtcdTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(2));

    /**
     * How long to wait for a call whose gRPC deadline is {@link #request}: a little longer, so that
     * the deadline ends the call first and jetcd shuts the channel it opened for it. Only a backstop.
     */
    public Duration await() {
        return request.plusMillis(250);
    }
}
