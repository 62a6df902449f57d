package io.connectha.check;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** The result of {@code lag check}: the overall state, why, and every replica measured. */
public record LagReport(String cluster, String leader, CheckStatus status, String summary, Thresholds thresholds,
                        List<ReplicaLag> replicas, Instant checkedAt, Duration took) {
}
