package io.connectha.monitor;

import java.time.Duration;
import java.time.Instant;

/**
 * One change the monitor saw, when it saw it (to the millisecond).
 *
 * @param member   the member it is about; null for the cluster
 * @param from     the value before (the old leader, the old timeline); null when it has none
 * @param to       the value after
 * @param source   how it was seen: {@code etcd_watch} (the moment etcd applied it), {@code gather} (a round of
 *                 the status), {@code probe} (the client's-eye probe), {@code monitor}
 * @param outage   for {@code probe_recovered}: how long the path failed
 * @param lagBytes for {@code lag_over}/{@code lag_under}: the lag then
 */
public record Event(Instant at, EventType type, String cluster, String member, String from, String to, String source,
                    Duration outage, Long lagBytes, String message) {

    static Event of(Instant at, EventType type, String cluster, String source, String message) {
        return new Event(at, type, cluster, null, null, null, source, null, null, message);
    }

    Event member(String name) {
        return new Event(at, type, cluster, name, from, to, source, outage, lagBytes, message);
    }

    Event change(Object before, Object after) {
        return new Event(at, type, cluster, member, before == null ? null : before.toString(), after == null ? null : after.toString(),
                source, outage, lagBytes, message);
    }

    Event outage(Duration length) {
        return new Event(at, type, cluster, member, from, to, source, length, lagBytes, message);
    }

    Event lag(Long bytes) {
        return new Event(at, type, cluster, member, from, to, source, outage, bytes, message);
    }
}
