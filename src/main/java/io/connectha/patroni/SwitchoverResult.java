package io.connectha.patroni;

import java.time.Duration;

/**
 * What a switchover or failover did.
 *
 * @param took      from the request to the new leader confirmed by Patroni and by PostgreSQL itself; null when scheduled
 * @param scheduled true when Patroni only scheduled it
 */
public record SwitchoverResult(String kind, String from, String to, Duration took, boolean scheduled, String scheduledAt,
                               boolean dryRun, String patroniMessage) {
}
