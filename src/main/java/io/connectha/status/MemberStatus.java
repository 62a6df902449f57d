package io.connectha.status;

import io.connectha.patroni.PatroniMember;
import io.connectha.pg.NodeState;
import io.connectha.pg.ReplicationConnection;

import java.time.Duration;
import java.util.Map;

/**
 * One member: the summary people read (role, state, timeline, lag, streaming), and beneath it what
 * Patroni, PostgreSQL and the leader's pg_stat_replication each said.
 *
 * @param role      Patroni's role for the member; when Patroni cannot say, PostgreSQL's (in recovery or not)
 * @param state     Patroni's state, or what is really wrong: "patroni down", "postgres down"
 * @param lagBytes  the leader's current LSN minus this member's replay LSN; null for the leader or when unknown
 * @param lag       how far behind in time: pg_stat_replication's replay_lag, or zero when no bytes are behind
 * @param streaming whether the leader's pg_stat_replication shows this member streaming; null for the leader
 */
public record MemberStatus(
        String name,
        String host,
        int port,
        MemberRole role,
        String state,
        Integer timeline,
        Long lagBytes,
        Duration lag,
        Boolean streaming,
        Patroni patroni,
        Postgres postgres,
        ReplicationConnection replication) {

    /** What this member's Patroni (and the cluster view) says; {@code role} is Patroni's word, null when it named none we know. */
    public record Patroni(boolean reachable, PatroniMember.Role role, String state, Integer timeline, Long lagBytes,
                          boolean pendingRestart, Map<String, Object> tags, String error) {
    }

    /** What PostgreSQL on this member says about itself. */
    public record Postgres(boolean reachable, NodeState node, String error) {
    }

    public boolean isLeader() {
        return role != null && role.isLeader();
    }
}
