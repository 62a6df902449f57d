package io.connectha.status;

import io.connectha.patroni.PatroniMember;

/**
 * A member's role with Patroni's names, as {@code status} prints them (table, JSON and YAML use the
 * constant's name), or {@code unknown} when neither Patroni nor PostgreSQL could say.
 */
public enum MemberRole {
    leader,
    standby_leader,
    sync_standby,
    replica,
    unknown;

    /** The leader of the cluster, or of a standby cluster: the member the others follow. */
    public boolean isLeader() {
        return this == leader || this == standby_leader;
    }

    /**
     * The role Patroni gives a member. Patroni's {@code /cluster} says "leader"; the older words for
     * the same role ("master", then "primary") read as leader. Null when Patroni named no role we know.
     */
    static MemberRole of(PatroniMember.Role role) {
        if (role == null) {
            return null;
        }
        return switch (role) {
            case leader, master, primary -> leader;
            case standby_leader -> standby_leader;
            case sync_standby -> sync_standby;
            case replica -> replica;
        };
    }
}
