package io.connectha.patroni;

import io.connectha.cluster.ClusterSpec;
import io.connectha.cluster.HaproxySpec;
import io.connectha.cluster.Quantities;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The worst-case client RTO of a node loss (the leader's host gone, no graceful hand-over), from the
 * settings alone, beside the cluster file's {@code rto_target}. docs/rto.md explains each term and
 * compares the sum with the drills' measurements.
 *
 * <ol>
 *   <li>{@code ttl}: the leader key's lease was renewed at most at the loss, so it expires at most ttl later;</li>
 *   <li>{@code promotion}: a replica, woken by etcd's watch on the leader key, races for the key and promotes;</li>
 *   <li>{@code haproxy}: HAProxy needs {@code rise} passing checks, {@code inter} apart, before it routes to the new leader;</li>
 *   <li>{@code reconnect}: a client notices and opens a new connection.</li>
 * </ol>
 * loop_wait is not a term: Patroni's etcd3 client watches the leader key and wakes its loop when the key
 * goes, so no replica waits for its next loop. It only shortens the typical case, since the leader renewed
 * its key up to loop_wait before the loss ({@link #typical}).
 *
 * @param terms     each term, in the order they happen
 * @param worstCase their sum
 */
public record RtoBudget(Duration target, List<Term> terms, Duration worstCase) {

    /**
     * The lab's new leader took the key and accepted writes 0.2-0.8 s after the old key expired, and a
     * switchover's promotion took 1.7-2.0 s (docs/drills.md); 2 s bounds both, and the REST timeout
     * Patroni allows a dead member's API when a host is really gone.
     */
    public static final Duration PROMOTION = Duration.ofSeconds(2);
    /** The drills' clients wrote again within 0.5 s of HAProxy routing to the new leader; a pool retrying every 500 ms does too. */
    public static final Duration RECONNECT = Duration.ofMillis(500);
    public static final Duration DEFAULT_TARGET = Duration.ofSeconds(30);

    /**
     * @param setting the setting the term comes from ({@code patroni.ttl}, {@code haproxy.check_interval x haproxy.rise}),
     *                or null for a constant
     */
    public record Term(String name, String setting, Duration value) {
    }

    /**
     * A setting that, changed alone (with {@code alsoRetryTimeout} when Patroni's timing rule needs it),
     * brings the budget back under target.
     *
     * @param alsoRetryTimeout the retry_timeout that keeps loop_wait + 2 x retry_timeout within the new ttl; null when not needed
     */
    public record Remedy(String setting, String from, String to, Duration worstCase, Integer alsoRetryTimeout, int retryTimeout) {
        /** One phrase: "ttl 30 s -> 25 s (and retry_timeout 10 -> 7, for Patroni's timing rule) would make it 29.5 s". */
        public String describe() {
            return setting + " " + from + " -> " + to
                    + (alsoRetryTimeout == null ? "" : " (and patroni.retry_timeout " + retryTimeout + " -> " + alsoRetryTimeout
                    + ", for Patroni's timing rule)")
                    + " would make it " + seconds(worstCase);
        }
    }

    public static RtoBudget of(int ttlSeconds, Duration checkInterval, int rise, Duration target) {
        List<Term> terms = new ArrayList<>();
        terms.add(new Term("ttl", "patroni.ttl", Duration.ofSeconds(ttlSeconds)));
        terms.add(new Term("promotion", null, PROMOTION));
        terms.add(new Term("haproxy", "haproxy.check_interval x haproxy.rise", checkInterval.multipliedBy(rise)));
        terms.add(new Term("reconnect", null, RECONNECT));
        Duration sum = terms.stream().map(Term::value).reduce(Duration.ZERO, Duration::plus);
        return new RtoBudget(target, List.copyOf(terms), sum);
    }

    /** The cluster file's timings, HAProxy's checks and target. */
    public static RtoBudget of(ClusterSpec spec) {
        return of(spec.patroni().ttl(), spec, target(spec));
    }

    /** Patroni's ttl as it runs (the live DCS's), with the file's HAProxy checks and target. */
    public static RtoBudget of(int ttlSeconds, ClusterSpec spec) {
        return of(ttlSeconds, spec, target(spec));
    }

    private static RtoBudget of(int ttlSeconds, ClusterSpec spec, Duration target) {
        HaproxySpec h = spec.haproxy();
        return of(ttlSeconds, Quantities.parseDuration(h.checkInterval()), h.rise(), target);
    }

    public static Duration target(ClusterSpec spec) {
        return spec.rtoTarget() == null ? DEFAULT_TARGET : Quantities.parseDuration(spec.rtoTarget());
    }

    public boolean overTarget() {
        return worstCase.compareTo(target) > 0;
    }

    public Duration term(String name) {
        return terms.stream().filter(t -> t.name().equals(name)).map(Term::value).findFirst().orElse(Duration.ZERO);
    }

    /** Half a loop_wait less than the worst case: the leader renewed its key, on average, half a loop before the loss. */
    public Duration typical(int loopWaitSeconds) {
        return worstCase.minus(Duration.ofMillis(loopWaitSeconds * 500L));
    }

    /**
     * The setting to change to come back under target: HAProxy's rise when dropping it to 1 is enough (the
     * cheapest change), else the ttl, with the retry_timeout that Patroni's rule then needs. Empty when the
     * budget is within target, or when no ttl of 1 s or more would do.
     */
    public Optional<Remedy> remedy(int ttlSeconds, int loopWaitSeconds, int retryTimeoutSeconds, Duration checkInterval, int rise) {
        if (!overTarget()) {
            return Optional.empty();
        }
        Duration excess = worstCase.minus(target);
        Duration haproxy = term("haproxy");
        if (rise > 1 && haproxy.minus(checkInterval).compareTo(excess) >= 0) {
            return Optional.of(new Remedy("haproxy.rise", Integer.toString(rise), "1", worstCase.minus(haproxy).plus(checkInterval), null,
                    retryTimeoutSeconds));
        }
        long cut = (excess.toMillis() + 999) / 1000;
        int ttl = (int) (ttlSeconds - cut);
        if (ttl < 1) {
            return Optional.empty();
        }
        Integer retry = null;
        if (loopWaitSeconds + 2 * retryTimeoutSeconds > ttl) {
            int fits = (ttl - loopWaitSeconds) / 2;
            if (fits < 1) {
                return Optional.empty();
            }
            retry = fits;
        }
        return Optional.of(new Remedy("patroni.ttl", ttlSeconds + " s", ttl + " s", worstCase.minus(Duration.ofSeconds(cut)), retry,
                retryTimeoutSeconds));
    }

    /** "34.5 s": for the messages that the domain must make whole (a refusal is one line, made where it is thrown). */
    public static String seconds(Duration d) {
        long ms = d.toMillis();
        return ms % 1000 == 0 ? ms / 1000 + " s" : String.format(java.util.Locale.ROOT, "%.1f s", ms / 1000.0);
    }

    /** The refusal's words: "the worst-case node-loss RTO 34.5 s is over rto_target 30 s; ttl 30 s -> 25 s ... would make it 29.5 s". */
    public String overTargetMessage(int ttlSeconds, int loopWaitSeconds, int retryTimeoutSeconds, Duration checkInterval, int rise) {
        return "the worst-case node-loss RTO " + seconds(worstCase) + " (ttl " + seconds(term("ttl")) + " + promotion "
                + seconds(term("promotion")) + " + HAProxy " + seconds(term("haproxy")) + " + reconnect " + seconds(term("reconnect"))
                + ") is over rto_target " + seconds(target)
                + remedy(ttlSeconds, loopWaitSeconds, retryTimeoutSeconds, checkInterval, rise).map(r -> "; " + r.describe()).orElse("");
    }
}
