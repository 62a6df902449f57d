package io.connectha.cluster;

/**
 * Default thresholds for {@code lag check} and {@code slots check}; options override them.
 *
 * @param lagWarning      bytes behind that make a replica WARNING
 * @param lagWarningTime  time behind that makes a replica WARNING, such as {@code 10s}
 * @param slotWarning     WAL a slot may keep before WARNING
 * @param timeout         hard deadline for a whole check
 */
public record ChecksSpec(ByteSize lagWarning, ByteSize lagCritical, String lagWarningTime, String lagCriticalTime,
                         ByteSize slotWarning, ByteSize slotCritical, String timeout) {

    static final ChecksSpec EMPTY = new ChecksSpec(null, null, null, null, null, null, null);

    ChecksSpec withDefaults(PatroniSpec patroni) {
        return new ChecksSpec(
                // beyond maximum_lag_on_failover a replica can no longer take over: that is the first warning
                lagWarning == null ? patroni.maximumLagOnFailover() : lagWarning,
                lagCritical == null ? ByteSize.ofMegabytes(16) : lagCritical,
                lagWarningTime == null ? "10s" : lagWarningTime,
                lagCriticalTime == null ? "60s" : lagCriticalTime,
                slotWarning == null ? ByteSize.ofMegabytes(1024) : slotWarning,
                slotCritical == null ? ByteSize.ofMegabytes(5 * 1024) : slotCritical,
                timeout == null ? "10s" : timeout);
    }
}
