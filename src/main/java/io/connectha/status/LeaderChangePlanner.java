package io.connectha.status;

import io.connectha.cluster.ClusterSpec;
import io.connectha.error.ConnectError;
import io.connectha.patroni.PatroniService;

import java.util.List;

/** The checks before a switchover or failover, on the cluster as {@link StatusService} sees it. */
public final class LeaderChangePlanner {

    private LeaderChangePlanner() {
    }

    /**
     * Checks a planned switchover or failover and returns the leader and the candidate (chosen when
     * not given: the streaming replica with the least lag). Refuses with the reason.
     */
    public static String[] plan(PatroniService patroni, String kind, String wantedLeader, String wantedCandidate) {
        ClusterSpec spec = patroni.loadedCluster().spec();
        ClusterStatus status = new StatusService(patroni.loadedCluster(), patroni.secrets(), new StatusService.Options(patroni.connectTimeout(),
                patroni.readTimeout(), spec.patroni().maximumLagOnFailover().bytes())).check();
        // nothing to decide on when no Patroni answered: that is an outage (exit 5), not a refusal
        if (!status.members().isEmpty() && status.members().stream().noneMatch(m -> m.patroni().reachable())) {
            throw new ConnectError(ConnectError.Kind.UNREACHABLE, "cannot " + kind + ": no member's Patroni answered ("
                    + status.members().get(0).patroni().error() + ")");
        }
        String leader = status.leader();
        if (kind.equals("switchover")) {
            if (leader == null) {
                throw new ConnectError(ConnectError.Kind.FAILURE, "no leader to switch over from; use `connect ha patroni failover`");
            }
            if (wantedLeader != null && !wantedLeader.equals(leader)) {
                throw new ConnectError(ConnectError.Kind.FAILURE, wantedLeader + " is not the leader (" + leader + " is)");
            }
        }
        if (status.paused()) {
            throw new ConnectError(ConnectError.Kind.FAILURE, "Patroni is paused (maintenance mode); resume it first");
        }
        long maxLag = spec.patroni().maximumLagOnFailover().bytes();
        List<MemberStatus> eligible = status.members().stream().filter(m -> !m.isLeader()).toList();
        MemberStatus candidate;
        if (wantedCandidate != null) {
            patroni.member(wantedCandidate);
            if (wantedCandidate.equals(leader)) {
                throw ConnectError.invalidInput(wantedCandidate + " is already the leader");
            }
            candidate = eligible.stream().filter(m -> m.name().equals(wantedCandidate)).findFirst()
                    .orElseThrow(() -> new ConnectError(ConnectError.Kind.FAILURE, wantedCandidate + " is not a replica"));
        } else {
            candidate = eligible.stream().filter(m -> Boolean.TRUE.equals(m.streaming()) && m.lagBytes() != null)
                    .filter(m -> !Boolean.TRUE.equals(nofailover(m)))
                    .min(java.util.Comparator.comparingLong(MemberStatus::lagBytes))
                    .orElseThrow(() -> new ConnectError(ConnectError.Kind.FAILURE, "no replica is streaming; nothing to " + kind + " to"));
        }
        if (!Boolean.TRUE.equals(candidate.streaming())) {
            throw new ConnectError(ConnectError.Kind.FAILURE, candidate.name() + " is not streaming from " + leader
                    + " (pg_stat_replication); it could lose data as leader");
        }
        if (candidate.lagBytes() == null || candidate.lagBytes() > maxLag) {
            throw new ConnectError(ConnectError.Kind.FAILURE, candidate.name() + " is " + (candidate.lagBytes() == null ? "an unknown number of"
                    : candidate.lagBytes()) + " bytes behind " + leader + ", more than maximum_lag_on_failover (" + maxLag + " bytes)");
        }
        if (Boolean.TRUE.equals(nofailover(candidate))) {
            throw new ConnectError(ConnectError.Kind.FAILURE, candidate.name() + " is tagged nofailover");
        }
        return new String[]{leader, candidate.name()};
    }

    private static Boolean nofailover(MemberStatus m) {
        Object tag = m.patroni().tags() == null ? null : m.patroni().tags().get("nofailover");
        return tag instanceof Boolean b ? b : null;
    }

}
