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
        return clientRto(oldAddress, newAddress, faultNanos);
    }

    /**
     * As {@link #clientRto(String, String)}, counting only acknowledgements after {@code notBeforeNanos}: after an etcd
     * outage no leader can take writes until etcd is back, so the RTO ends with the first write acknowledged after the heal.
     */
    Duration clientRto(String oldAddress, String newAddress, long notBeforeNanos) {
        boolean changed = newAddress != null && !newAddress.equals(oldAddress);
        boolean outage = failures.stream().anyMatch(f -> f.atNanos() > faultNanos);
        if (!outage && !changed) {
            return Duration.ZERO;
        }
        return firstOnNew(newAddress, notBeforeNanos).map(first -> Duration.ofMillis(Drills.ms(Math.max(endOfLongestSilence(acks, faultNanos),
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
        return firstOnNew(newAddress, faultNanos);
    }

    private Optional<WriteLoad.Ack> firstOnNew(String newAddress, long notBeforeNanos) {
        long outageStart = failures.stream().mapToLong(WriteLoad.Failure::atNanos).filter(t -> t > faultNanos).min().orElse(faultNanos);
        return acks.stream().filter(a -> a.member().equals(newAddress) && a.sentNanos() > outageStart && a.ackNanos() > notBeforeNanos)
                .min(Comparator.comparingLong(WriteLoad.Ack::ackNanos));
    }

    /**
     * The old leader's write window, in ns and counts.
     *
     * @param lastAckNanos  the last write the old leader acknowledged to any client after the fault; null when none
     * @param writes        the window writes: acknowledged by the old leader to its own-side clients after the new leader's
     *                      first acknowledged write (after the fault when the leader did not change)
     * @param lostWalBytes  WAL from the first lost window write's LSN to the last one's on the old leader (0 for one row,
     *                      or none: a lower bound)
     */
    record Window(Long lastAckNanos, long writes, long survived, long lost, long lostWalBytes) {

        /** From the fault to the last write the old leader acknowledged; null when none after the fault. */
        Duration length(long faultNanos) {
            return lastAckNanos == null ? null : Duration.ofMillis(Drills.ms(lastAckNanos - faultNanos));
        }
    }

    /**
     * The old leader's write window, from this ledger (the drill's clients) and {@code leaderSide} (the writers connected
     * straight to the old leader). When the leader changed, every acknowledgement the old leader gave after the fault counts;
     * when it did not, only those before the restore ({@code restoredNanos}; null: not restored), since it is still the
     * leader afterwards.
     *
     * @param newAddress the new leader's address; null when none was confirmed
     * @param present    the sequence numbers in the table afterwards
     */
    Window window(List<WriteLoad.Ack> leaderSide, String oldAddress, String newAddress, Long restoredNanos, Set<Long> present) {
        boolean changed = newAddress != null && !newAddress.equals(oldAddress);
        long until = changed || restoredNanos == null ? Long.MAX_VALUE : restoredNanos;
        java.util.OptionalLong last = java.util.stream.Stream.concat(acks.stream(), leaderSide.stream())
                .filter(a -> a.member().equals(oldAddress) && a.ackNanos() > faultNanos && a.ackNanos() <= until)
                .mapToLong(WriteLoad.Ack::ackNanos).max();
        long from = changed ? firstOnNew(newAddress).map(WriteLoad.Ack::ackNanos).orElse(faultNanos) : faultNanos;
        List<WriteLoad.Ack> window = leaderSide.stream().filter(a -> a.member().equals(oldAddress) && a.ackNanos() > from
                && a.ackNanos() <= until).toList();
        List<WriteLoad.Ack> lost = window.stream().filter(a -> !present.contains(a.seq())).toList();
        long wal = lost.isEmpty() ? 0 : lost.stream().mapToLong(WriteLoad.Ack::lsn).max().getAsLong()
                - lost.stream().mapToLong(WriteLoad.Ack::lsn).min().getAsLong();
        return new Window(last.isPresent() ? Long.valueOf(last.getAsLong()) : null, window.size(), window.size() - lost.size(),
                lost.size(), wal);
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
