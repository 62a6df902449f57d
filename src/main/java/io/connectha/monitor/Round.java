package io.connectha.monitor;

import io.connectha.check.CheckState;
import io.connectha.check.ItemsReport;
import io.connectha.status.ClusterStatus;

import java.time.Instant;
import java.util.Map;

/**
 * One round of gathering as the monitor keeps it: the status, every check item, and what the "changed"
 * items compare with next time.
 *
 * @param patroniSilent why each member whose own Patroni ({@code /patroni}) did not answer did not
 * @param finishedAt    when the round ended (its figures are that old)
 */
public record Round(ClusterStatus status, ItemsReport items, CheckState state, Map<String, String> patroniSilent, Instant finishedAt) {
}
