package io.connectha.drill;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The chaos campaign's end, as Jepsen's set checker: the ledger of every write the clients attempted (acknowledged or
 * failed) against the rows the leader holds afterwards. Pure: numbers in, numbers out.
 * <ul>
 * <li><b>lost</b>: acknowledged, not present. A violation.</li>
 * <li><b>recovered</b>: the client saw the write fail (a timeout, a broken connection after the commit), yet it is
 * present. Possible, not a violation: nothing was acknowledged that is not there.</li>
 * <li><b>unexpected</b>: present, though no client ever sent that seq from that client. A violation.</li>
 * <li><b>duplicated</b>: a seq present more than once (seq is the primary key, so never, unless it is broken). A
 * violation.</li>
 * <li><b>leader overlaps</b>: see {@link #overlaps}. A violation.</li>
 * </ul>
 */
public final class SetChecker {

    /** How many examples of each violation the result keeps. */
    static final int EXAMPLES = 20;

    private SetChecker() {
    }

    /** A row read back: its seq and the client that wrote it. */
    public record Row(long seq, int client) {
    }

    /**
     * A write acknowledged by {@code member} while {@code leader} was, provably, a primary too.
     *
     * @param seq    the write's seq
     * @param member who acknowledged it (the address, host:port, as PostgreSQL gave it)
     * @param leader the other member, a primary before and after that write on one unbroken client connection
     */
    public record Overlap(long seq, String member, String leader) {
    }

    /**
     * What the set checker found.
     *
     * @param attempted      writes sent (acknowledged plus failed)
     * @param acknowledged   writes acknowledged
     * @param present        acknowledged writes present on the leader afterwards
     * @param rows           rows read back
     * @param lost           acknowledged writes missing
     * @param recovered      writes that failed for their client and are present all the same
     * @param unexpected     rows no client sent (a seq never attempted, or by another client)
     * @param duplicated     seqs present more than once
     * @param leaderOverlaps writes acknowledged by one member while another was provably a primary; null when not checked
     * @param lostSeqs       the first lost seqs (up to 20)
     * @param overlaps       the first overlapping writes (up to 20)
     */
    public record Result(long attempted, long acknowledged, long present, long rows, long lost, long recovered, long unexpected,
                         long duplicated, Long leaderOverlaps, List<Long> lostSeqs, List<Overlap> overlaps) {

        public boolean passed() {
            return lost == 0 && unexpected == 0 && duplicated == 0 && (leaderOverlaps == null || leaderOverlaps == 0);
        }
    }

    /**
     * Checks the rows against the ledger; {@code checkOverlaps} false (clients whose connection does not pin one server
     * session, as PgBouncer in transaction pooling) leaves the overlap rule out.
     */
    static Result check(List<List<WriteLoad.Ack>> acksByClient, List<WriteLoad.Failure> failures, List<Row> rows, boolean checkOverlaps) {
        Map<Long, Integer> sentBy = new HashMap<>();
        Set<Long> failed = new HashSet<>();
        long acknowledged = 0;
        for (List<WriteLoad.Ack> client : acksByClient) {
            for (WriteLoad.Ack a : client) {
                sentBy.put(a.seq(), a.client());
                acknowledged++;
            }
        }
        for (WriteLoad.Failure f : failures) {
            sentBy.put(f.seq(), f.client());
            failed.add(f.seq());
        }
        Map<Long, Integer> copies = new HashMap<>();
        long unexpected = 0;
        long recovered = 0;
        for (Row r : rows) {
            int n = copies.merge(r.seq(), 1, Integer::sum);
            if (n > 1) {
                continue;
            }
            Integer client = sentBy.get(r.seq());
            if (client == null || client != r.client()) {
                unexpected++;
            } else if (failed.contains(r.seq())) {
                recovered++;
            }
        }
        long duplicated = copies.values().stream().filter(n -> n > 1).count();
        List<Long> lostSeqs = new ArrayList<>();
        long lost = 0;
        for (List<WriteLoad.Ack> client : acksByClient) {
            for (WriteLoad.Ack a : client) {
                if (!copies.containsKey(a.seq())) {
                    lost++;
                    if (lostSeqs.size() < EXAMPLES) {
                        lostSeqs.add(a.seq());
                    }
                }
            }
        }
        lostSeqs.sort(Comparator.naturalOrder());
        List<Overlap> overlaps = checkOverlaps ? overlaps(acksByClient, failures) : List.of();
        return new Result(acknowledged + failures.size(), acknowledged, acknowledged - lost, rows.size(), lost, recovered, unexpected,
                duplicated, checkOverlaps ? (long) overlaps.size() : null, lostSeqs, overlaps.size() > EXAMPLES ? overlaps.subList(0, EXAMPLES)
                : overlaps);
    }

    /** A time in which a member was, provably, a primary the whole time: between two of its acknowledgements. */
    record Reign(String member, long fromNanos, long toNanos) {
    }

    /**
     * Two leaders overlapped when a member acknowledged a write inside another member's proven reign. A client's two
     * consecutive writes acknowledged by the same member B, with no failure between them, went over one connection
     * (a client reconnects only after a failure). PostgreSQL cannot leave primary mode without a restart, which ends
     * every connection, so B was a primary from the first acknowledgement to the sending of the second. A write that a
     * member A other than B acknowledged, sent after that first acknowledgement and acknowledged before that second
     * sending, was committed on A while B was a primary too: two leaders at once. Every such write counts once.
     */
    static List<Overlap> overlaps(List<List<WriteLoad.Ack>> acksByClient, List<WriteLoad.Failure> failures) {
        Map<Integer, List<Long>> failedAt = new HashMap<>();
        for (WriteLoad.Failure f : failures) {
            failedAt.computeIfAbsent(f.client(), k -> new ArrayList<>()).add(f.atNanos());
        }
        Map<String, List<Reign>> reigns = new HashMap<>();
        for (List<WriteLoad.Ack> client : acksByClient) {
            List<WriteLoad.Ack> sorted = client.stream().sorted(Comparator.comparingLong(WriteLoad.Ack::ackNanos)).toList();
            for (int i = 1; i < sorted.size(); i++) {
                WriteLoad.Ack a = sorted.get(i - 1);
                WriteLoad.Ack b = sorted.get(i);
                if (a.member().equals(b.member()) && b.sentNanos() > a.ackNanos()
                        && !failedBetween(failedAt.getOrDefault(a.client(), List.of()), a.ackNanos(), b.sentNanos())) {
                    reigns.computeIfAbsent(a.member(), k -> new ArrayList<>()).add(new Reign(a.member(), a.ackNanos(), b.sentNanos()));
                }
            }
        }
        Map<String, List<Reign>> merged = new HashMap<>();
        reigns.forEach((member, list) -> merged.put(member, merge(list)));
        List<Overlap> found = new ArrayList<>();
        List<WriteLoad.Ack> all = new ArrayList<>();
        acksByClient.forEach(all::addAll);
        all.sort(Comparator.comparingLong(WriteLoad.Ack::ackNanos));
        for (WriteLoad.Ack w : all) {
            for (Map.Entry<String, List<Reign>> e : merged.entrySet()) {
                if (!e.getKey().equals(w.member()) && within(e.getValue(), w.sentNanos(), w.ackNanos())) {
                    found.add(new Overlap(w.seq(), w.member(), e.getKey()));
                    break;
                }
            }
        }
        return found;
    }

    private static boolean failedBetween(List<Long> failedAt, long from, long to) {
        for (long t : failedAt) {
            if (t > from && t < to) {
                return true;
            }
        }
        return false;
    }

    /** Reigns of one member joined where they overlap: a primary throughout each, so throughout their union. */
    static List<Reign> merge(List<Reign> reigns) {
        List<Reign> sorted = reigns.stream().sorted(Comparator.comparingLong(Reign::fromNanos)).toList();
        List<Reign> merged = new ArrayList<>();
        for (Reign r : sorted) {
            if (!merged.isEmpty() && r.fromNanos() < merged.get(merged.size() - 1).toNanos()) {
                Reign last = merged.remove(merged.size() - 1);
                merged.add(new Reign(last.member(), last.fromNanos(), Math.max(last.toNanos(), r.toNanos())));
            } else {
                merged.add(r);
            }
        }
        return merged;
    }

    /** Whether one of the (sorted, disjoint) reigns holds the whole of (from, to). */
    private static boolean within(List<Reign> reigns, long from, long to) {
        int lo = 0;
        int hi = reigns.size() - 1;
        // the last reign that starts before {@code from}
        int found = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (reigns.get(mid).fromNanos() < from) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return found >= 0 && to < reigns.get(found).toNanos();
    }
}
