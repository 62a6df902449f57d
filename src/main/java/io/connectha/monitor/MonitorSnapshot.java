package io.connectha.monitor;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * Everything a scrape, {@code /status} or the text view shows, read from what was last gathered:
 * building it never asks a component anything.
 *
 * @param round           the last round; null before the first has finished
 * @param probe           the probe's figures; null with {@code --no-probe}
 * @param lastAnswer      when each component last answered, by {@code component/instance}
 * @param gathers         rounds finished since start
 * @param events          events emitted, by type
 * @param leader          the leader key's holder as last seen (by the watch, or by a round when the watch is down); null: none
 * @param watchEndpoint   the etcd endpoint the leader key is watched on now; null between streams
 * @param healthy         the gather loop is alive and its last round is not overdue
 */
public record MonitorSnapshot(Instant now, Instant startedAt, double slo, Round round, Duration lastGatherTook, long gathers,
                              Map<String, Instant> lastAnswer, ProbeFigures probe, Map<EventType, Long> events, long leaderChanges,
                              String leader, String watchEndpoint, Instant watchLastHeard, long hookFailures, long eventsDropped,
                              boolean healthy) {

    /** How old the last round's figures are; null before the first round. */
    public Duration gatherAge() {
        return round == null ? null : Duration.between(round.finishedAt(), now);
    }
}
