package io.connectha.check;

import java.time.Duration;

/** Warning and critical levels in bytes and in time; a value at or above a level reaches it. */
public record Thresholds(long warningBytes, long criticalBytes, Duration warningTime, Duration criticalTime) {

    public CheckStatus ofBytes(long bytes) {
        return bytes >= criticalBytes ? CheckStatus.CRITICAL : bytes >= warningBytes ? CheckStatus.WARNING : CheckStatus.OK;
    }

    public CheckStatus ofTime(Duration d) {
        return d.compareTo(criticalTime) >= 0 ? CheckStatus.CRITICAL : d.compareTo(warningTime) >= 0 ? CheckStatus.WARNING : CheckStatus.OK;
    }
}
