package io.connectha.check;

import java.util.List;
import java.util.Map;

/**
 * What a check item found, as figures and names: the judge fills them, render turns them into words.
 * Bytes are {@code long}; a value Patroni did not give is null.
 */
public sealed interface ItemFacts {

    /**
     * @param leader       the member Patroni names leader (or standby leader); null when none
     * @param state        its PostgreSQL state as Patroni reports it
     * @param running      the leader is running (a standby leader streaming or in archive recovery counts)
     * @param standbyLeader the leader of a standby cluster
     */
    record Leader(String leader, String state, Integer timeline, boolean running, boolean standbyLeader,
                  boolean inArchiveRecovery) implements ItemFacts {
    }

    /**
     * One replica as judged by the replicas item.
     *
     * @param streaming per the leader's pg_stat_replication (Patroni's /patroni on the leader); null when it could not be read
     * @param problems  why it is not healthy; empty when it is
     */
    record Replica(String name, String role, String state, Integer timeline, Long lagBytes, Boolean streaming, boolean sync,
                   List<ReplicaProblem> problems) {
        public boolean healthy() {
            return problems.isEmpty();
        }
    }

    /** Why a replica does not count as healthy, after check_patroni's cluster_has_replica (streaming added). */
    enum ReplicaProblem { not_running, not_streaming, other_timeline, lag_unknown, lag_over_max }

    /**
     * @param maxLagBytes  a replica lagging more is not healthy
     * @param minWarning   fewer healthy replicas warn
     * @param minCritical  fewer healthy replicas are critical
     */
    record Replicas(int healthy, int unhealthy, int sync, long maxLagBytes, int minWarning, int minCritical, Integer leaderTimeline,
                    List<Replica> replicas) implements ItemFacts {
    }

    /**
     * @param unhealthy member name to its state, for the members that are not running (or not streaming, for a replica)
     * @param missing   members of the cluster file that Patroni does not list
     * @param roles     role to how many members have it; {@code states} likewise
     */
    record Members(int members, int healthy, int minWarning, int minCritical, Map<String, String> unhealthy, List<String> missing,
                   Map<String, Integer> roles, Map<String, Integer> states) implements ItemFacts {
    }

    /**
     * @param mode           Patroni's synchronous_mode: off, on or quorum
     * @param strict         synchronous_mode_strict
     * @param expected       synchronous_node_count (Patroni's default 1)
     * @param syncStandbys   members whose role is sync_standby or quorum_standby
     */
    record SyncStandbys(String mode, boolean strict, int expected, List<String> syncStandbys) implements ItemFacts {
    }

    record Paused(boolean paused) implements ItemFacts {
    }

    /** A switchover or a restart that Patroni will carry out at a set time. */
    record Scheduled(ScheduledSwitchover switchover, List<ScheduledRestart> restarts) implements ItemFacts {
    }

    record ScheduledSwitchover(String at, String from, String to) {
    }

    record ScheduledRestart(String member, String at) {
    }

    /**
     * @param pending     the members that wait for a restart to apply a setting
     * @param unanswered  members whose own Patroni did not answer: their flag is the DCS's, up to a loop old
     */
    record PendingRestart(List<String> pending, List<String> unanswered) implements ItemFacts {
    }

    /**
     * @param previous the timeline the state file recorded; null on the first run
     * @param current  the leader's timeline now (the highest any member reports when there is no leader); null when none does
     */
    record TimelineChanged(Integer previous, Integer current, String leader, boolean firstRun) implements ItemFacts {
        public boolean changed() {
            return !firstRun && previous != null && current != null && !previous.equals(current);
        }
    }

    /** One setting of the DCS config that changed; {@code before} or {@code after} is null when it was added or removed. */
    record SettingChange(String key, String before, String after) {
    }

    record ConfigChanged(String previousHash, String hash, boolean firstRun, List<SettingChange> changes) implements ItemFacts {
        public boolean changed() {
            return !firstRun && !hash.equals(previousHash);
        }
    }
}
