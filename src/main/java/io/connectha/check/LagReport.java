package io.connectha.check;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The result of {@code lag check}: the overall state, why, and every replica measured.
 *
 * @param outcome     whether replicas were measured, or why not
 * @param writers     the members out of recovery, when more than one is (split brain)
 * @param unreachable "member: why" for each member that did not answer, when no leader was found
 * @param member      the member asked for with --member; null for all
 */
public record LagReport(String cluster, String leader, CheckStatus status, Outcome outcome, List<String> writers,
                        List<String> unreachable, String member, Thresholds thresholds, List<ReplicaLag> replicas,
                        Instant checkedAt, Duration took) {

    public enum Outcome {
        /** the replicas were measured (possibly none) */
        measured,
        /** more than one member is out of recovery */
        two_writers,
        /** every member that answered is in recovery */
        no_leader,
        /** no member out of recovery answered, and some did not answer */
        leader_unreachable,
        /** --member named the leader */
        member_is_leader
    }
}
