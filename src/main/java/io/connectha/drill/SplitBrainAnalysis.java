package io.connectha.drill;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * What a split-brain drill's samples prove, computed from the samples alone: each member's write
 * windows, samples where two members accepted writes, the leader key's holders and HAProxy's routes
 * over time, and every sample where HAProxy's write port reached a member that did not hold the key.
 */
public final class SplitBrainAnalysis {

    /**
     * Samples of slack on each side when comparing HAProxy with the leader key: one sample reads etcd and
     * connects through HAProxy a few milliseconds apart, so a key that changes between the two shows as
     * a disagreement in that one sample, which is not HAProxy routing to the wrong member.
     */
    public static final int HAPROXY_SLACK_SAMPLES = 1;

    private SplitBrainAnalysis() {
    }

    /** A member accepted writes at every sample from {@code fromMs} to {@code toMs} ({@code samples} of them). */
    public record Window(long fromMs, long toMs, int samples) {
    }

    /** Who or where, from one time to another: the leader key's holder, or where HAProxy's write port lands (null: nobody). */
    public record Span(String member, long fromMs, long toMs, int samples) {
    }

    /** A sample at which more than one member accepted a write. */
    public record DoubleWrite(long atMs, List<String> members) {
    }

    /** A sample at which HAProxy's write port reached a member that did not hold the leader key, even with the slack. */
    public record RouteViolation(long atMs, String haproxyReached, String leaderKey) {
    }

    public static Map<String, List<Window>> writeWindows(List<WriteSample> samples, List<String> members) {
        Map<String, List<Window>> windows = new LinkedHashMap<>();
        for (String m : members) {
            List<Window> list = new ArrayList<>();
            Long from = null;
            long last = 0;
            int n = 0;
            for (WriteSample s : samples) {
                if (s.accepted(m)) {
                    if (from == null) {
                        from = s.atMs();
                        n = 0;
                    }
                    last = s.atMs();
                    n++;
                } else if (from != null) {
                    list.add(new Window(from, last, n));
                    from = null;
                }
            }
            if (from != null) {
                list.add(new Window(from, last, n));
            }
            windows.put(m, list);
        }
        return windows;
    }

    public static List<DoubleWrite> doubleWrites(List<WriteSample> samples) {
        List<DoubleWrite> found = new ArrayList<>();
        for (WriteSample s : samples) {
            List<String> writers = s.members().keySet().stream().filter(s::accepted).sorted().toList();
            if (writers.size() > 1) {
                found.add(new DoubleWrite(s.atMs(), writers));
            }
        }
        return found;
    }

    /** The leader key's holders over time; samples where etcd did not answer continue the span before them. */
    public static List<Span> leaderKeyHolders(List<WriteSample> samples) {
        return spans(samples.stream().filter(WriteSample::leaderKeyKnown).toList(), WriteSample::leaderKey);
    }

    public static List<Span> haproxyRoutes(List<WriteSample> samples) {
        return spans(samples, WriteSample::haproxyReached);
    }

    public static List<RouteViolation> haproxyViolations(List<WriteSample> samples) {
        List<RouteViolation> found = new ArrayList<>();
        for (int i = 0; i < samples.size(); i++) {
            WriteSample s = samples.get(i);
            if (s.haproxyReached() == null || !s.leaderKeyKnown()) {
                continue;
            }
            boolean held = false;
            for (int j = Math.max(0, i - HAPROXY_SLACK_SAMPLES); j <= Math.min(samples.size() - 1, i + HAPROXY_SLACK_SAMPLES); j++) {
                held |= s.haproxyReached().equals(samples.get(j).leaderKey());
            }
            if (!held) {
                found.add(new RouteViolation(s.atMs(), s.haproxyReached(), s.leaderKey()));
            }
        }
        return found;
    }

    /** Writes {@code member} accepted at samples from {@code fromMs} on. */
    public static long acceptedFrom(List<WriteSample> samples, String member, long fromMs) {
        return samples.stream().filter(s -> s.atMs() >= fromMs && s.accepted(member)).count();
    }

    private static List<Span> spans(List<WriteSample> samples, Function<WriteSample, String> who) {
        List<Span> spans = new ArrayList<>();
        String current = null;
        long from = 0;
        long last = 0;
        int n = 0;
        for (WriteSample s : samples) {
            String w = who.apply(s);
            if (n > 0 && Objects.equals(w, current)) {
                last = s.atMs();
                n++;
                continue;
            }
            if (n > 0) {
                spans.add(new Span(current, from, last, n));
            }
            current = w;
            from = s.atMs();
            last = s.atMs();
            n = 1;
        }
        if (n > 0) {
            spans.add(new Span(current, from, last, n));
        }
        return spans;
    }
}
