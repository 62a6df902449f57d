package io.connectha.check;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** The items asked for with {@code --only}, each judged; the status is the worst of theirs. */
public record ItemsReport(String cluster, CheckStatus status, List<ItemResult> items, Instant checkedAt, Duration took) {
}
