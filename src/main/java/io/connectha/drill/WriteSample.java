package io.connectha.drill;

import java.util.Map;

/**
 * One sample of a split-brain drill: at {@code atMs} from the fault, who held the leader key, how each
 * member's PostgreSQL answered a write sent straight to it, and where a write through HAProxy's write
 * port landed.
 *
 * @param leaderKey       the leader key's holder; null when nobody held it or etcd did not answer
 * @param leaderKeyKnown  etcd answered
 * @param haproxyReached  the member a fresh connection to the write port reached; null when none
 * @param haproxyAccepted the write through HAProxy was acknowledged
 */
public record WriteSample(long atMs, String leaderKey, boolean leaderKeyKnown, Map<String, Outcome> members,
                          String haproxyReached, boolean haproxyAccepted) {

    /** How a member answered a write. */
    public enum Outcome {
        /** Committed and acknowledged. */
        accepted,
        /** Refused as read-only (SQLSTATE 25006): a replica, or a primary being demoted. */
        read_only,
        /** No connection, or the connection broke: the member is down or starting. */
        down,
        /** Any other error. */
        error
    }

    public boolean accepted(String member) {
        return members.get(member) == Outcome.accepted;
    }
}
