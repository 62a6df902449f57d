package io.connectha.monitor;

import java.time.Instant;
import java.util.List;

/**
 * The leader key's holder as etcd says, from the watch or from a round, and the events its changes make:
 * another member holding it, nobody, or the same member again after nobody (a new term). The first
 * reading only sets what is known.
 */
final class LeaderTracker {

    private final String cluster;
    private String holder;
    private boolean known;
    private String last;
    private long changes;

    LeaderTracker(String cluster) {
        this.cluster = cluster;
    }

    synchronized List<Event> seen(Instant at, String now, String source) {
        Event event = null;
        if (now == null) {
            if (known && holder != null) {
                event = Event.of(at, EventType.leader_lost, cluster, source, "the leader key is gone: " + holder
                        + " no longer holds it, and no member does").change(holder, null);
            }
        } else if (last != null && !now.equals(last)) {
            changes++;
            event = Event.of(at, EventType.leader_changed, cluster, source, "the leader changed from " + last + " to " + now)
                    .member(now).change(last, now);
        } else if (last != null && known && holder == null) {
            changes++;
            event = Event.of(at, EventType.leader_changed, cluster, source, now + " holds the leader key again, after no member did")
                    .member(now).change(last, now);
        }
        holder = now;
        known = true;
        if (now != null) {
            last = now;
        }
        return event == null ? List.of() : List.of(event);
    }

    /** The holder now; null when nobody holds the key or it was never read. */
    synchronized String holder() {
        return holder;
    }

    synchronized long changes() {
        return changes;
    }
}
