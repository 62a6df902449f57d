package io.connectha.drill;

import io.connectha.cluster.MemberSpec;
import io.connectha.pg.NodeState;

import java.util.Objects;

/**
 * Watches a former leader come back after its Patroni was started again, one sample at a time, and
 * records when (ms from that start) each stage was first seen: Patroni "running", PostgreSQL in
 * recovery on the new leader's timeline, streaming per the leader's pg_stat_replication, and its
 * replay LSN at the leader's LSN of the moment it began to stream. Patroni says "running" as soon as
 * PostgreSQL accepts connections, which after a crash is on the old timeline, before pg_rewind; only
 * the later stages say the member is back.
 */
final class RejoinWatch {

    private final ClusterProbe probe;
    private final MemberSpec old;
    private final MemberSpec leader;
    private final long startNanos;
    private Integer leaderTimeline;
    private Integer rejoinedTimeline;
    private Long patroniRunningMs;
    private Long newTimelineMs;
    private Long streamingMs;
    private Long caughtUpMs;
    private Long streamingFromLsn;

    RejoinWatch(ClusterProbe probe, MemberSpec old, MemberSpec leader, long startNanos) {
        this.probe = probe;
        this.old = old;
        this.leader = leader;
        this.startNanos = startNanos;
    }

    void sample() {
        if (patroniRunningMs == null && probe.patroniState(old).filter(s -> s.equals("running") || s.equals("streaming")).isPresent()) {
            patroniRunningMs = since();
        }
        if (leaderTimeline == null) {
            leaderTimeline = probe.primaryTimeline(leader).orElse(null);
        }
        if (newTimelineMs == null && leaderTimeline != null) {
            probe.node(old).filter(NodeState::inRecovery).map(NodeState::timeline).ifPresent(t -> {
                rejoinedTimeline = t;
                if (Objects.equals(t, leaderTimeline)) {
                    newTimelineMs = since();
                }
            });
        }
        if (caughtUpMs == null) {
            probe.replication(leader, old.name()).filter(ClusterProbe.Replication::streaming).ifPresent(r -> {
                if (streamingMs == null) {
                    streamingMs = since();
                    streamingFromLsn = r.leaderLsn();
                }
                if (r.caughtUpTo(streamingFromLsn)) {
                    caughtUpMs = since();
                }
            });
        }
    }

    /** Every stage seen: the member is back. Patroni may say "running" only after its PostgreSQL streams: its REST API is slow while it starts. */
    boolean done() {
        return caughtUpMs != null && newTimelineMs != null && patroniRunningMs != null;
    }

    private long since() {
        return Drills.ms(System.nanoTime() - startNanos);
    }

    Integer leaderTimeline() {
        return leaderTimeline;
    }

    Integer rejoinedTimeline() {
        return rejoinedTimeline;
    }

    Long patroniRunningMs() {
        return patroniRunningMs;
    }

    Long newTimelineMs() {
        return newTimelineMs;
    }

    Long streamingMs() {
        return streamingMs;
    }

    Long caughtUpMs() {
        return caughtUpMs;
    }
}
