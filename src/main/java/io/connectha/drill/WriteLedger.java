package io.connectha.drill;

import io.connectha.units.Percentile;

import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The clients' figures, worked out from the ledger of acknowledged and failed writes and the rows the
 * leader holds afterwards: client RTO, the longest gap, latency, error rate, lost and split-brain writes.
 * Pure arithmetic on System.nanoTime instants; no clock, no connection.
 *
 * @param faultNanos the fault's instant
 */
record WriteLedger(List<WriteLoad.Ack> acks, List<WriteLoad.Failure> failures, List<List<WriteLoad.Ack>> acksByClient, long faultNanos) {

    static WriteLedger of(WriteLoad load, long faultNanos) {
        return new WriteLedger(load.acks(), load.failures(), load.acksByClient(), faultNanos);
    }

    List<WriteLoad.Ack> lost(Set<Long> present) {
        return acks.stream().filter(a -> !present.contains(a.seq())).toList();
    }

    /**
     * Clients' outage starts with the first failed write after the fault. The RTO ends with the acknowledgement
     * that closes the longest stretch after the fault in which no client got any: backends of a killed
     * postmaster still answer for a few ms, so the first acknowledgement after the first failure may come
     * before the outage rather than after it. No failure at all and the same leader: clients saw no outage.
     *
     * @param newAddress the new leader's address; null when none was confirmed
     */
    Duration clientRto(String oldAddress, String newAddress) {
        boolean changed = newAddress != null && !newAddress.equals(oldAddress);
        boolean outage = failures.stream().anyMatch(f -> f.atNanos() > faultNanos);
        if (!outage && !changed) {
            return Duration.ZERO;
        }
        return firstOnNew(newAddress).map(first -> Duration.ofMillis(Drills.ms(Math.max(endOfLongestSilence(acks, faultNanos),
                first.ackNanos()) - faultNanos))).orElse(null);
    }

    /** Writes the old leader acknowledged after the new leader acknowledged its first. */
    long splitBrainWrites(String oldAddress, String newAddress) {
        if (newAddress == null || newAddress.equals(oldAddress)) {
            return 0;
        }
        return firstOnNew(newAddress).map(first -> acks.stream().filter(a -> a.member().equals(oldAddress)
                && a.ackNanos() > first.ackNanos()).count()).orElse(0L);
    }

    private Optional<WriteLoad.Ack> firstOnNew(String newAddress) {
        long outageStart = failures.stream().mapToLong(WriteLoad.Failure::atNanos).filter(t -> t > faultNanos).min().orElse(faultNanos);
        return acks.stream().filter(a -> a.member().equals(newAddress) && a.sentNanos() > outageStart)
                .min(Comparator.comparingLong(WriteLoad.Ack::ackNanos));
    }

    double errorRate() {
        long attempts = acks.size() + failures.size();
        return attempts == 0 ? 0 : (double) failures.size() / attempts;
    }

    /** The acknowledged writes' latency at the {@code p}th nearest-rank percentile; zero without any. */
    Duration latency(int p) {
        long[] sorted = acks.stream().mapToLong(a -> a.ackNanos() - a.sentNanos()).sorted().toArray();
        return Duration.ofNanos(Math.max(0, Percentile.of(sorted, p)));
    }

    /** The longest time one client went without an acknowledgement, around the fault (from 1 s before it). */
    Duration longestGap() {
        long longest = -1;
        for (List<WriteLoad.Ack> client : acksByClient) {
            long previous = -1;
            for (WriteLoad.Ack a : client.stream().sorted(Comparator.comparingLong(WriteLoad.Ack::ackNanos)).toList()) {
                if (previous >= 0 && a.ackNanos() > faultNanos - 1_000_000_000L) {
                    longest = Math.max(longest, a.ackNanos() - previous);
                }
                previous = a.ackNanos();
            }
        }
        return longest < 0 ? null : Duration.ofMillis(Drills.ms(longest));
    }

    /** The acknowledgement that ends the longest time after the fault in which no client got one. */
    static long endOfLongestSilence(List<WriteLoad.Ack> acks, long faultNanos) {
        long[] times = acks.stream().mapToLong(WriteLoad.Ack::ackNanos).filter(t -> t > faultNanos).sorted().toArray();
        long previous = faultNanos;
        long longest = -1;
        long end = faultNanos;
        for (long t : times) {
            if (t - previous > longest) {
                longest = t - previous;
                end = t;
            }
            previous = t;
        }
        return end;
    }
}
