package io.connectha.discover;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Which HAProxy backend is the write path and which the read path, and which rule decided. Pure: the
 * backends' servers (and which are UP, when HAProxy was asked live) and the members' addresses and
 * roles in, a choice out. The rules, first that decides wins:
 * <ol>
 *   <li>live: the backend whose only UP server is the leader writes; one whose UP servers are replicas reads;</li>
 *   <li>health check: a check on Patroni's {@code /primary} (or {@code /master}, {@code /leader},
 *       {@code /read-write}) writes; one on {@code /replica} (or {@code /read-only}, {@code /standby}...) reads;</li>
 *   <li>name: {@code write}, {@code primary}, {@code master}, {@code rw} in the name writes; {@code read},
 *       {@code replica}, {@code standby}, {@code ro} reads.</li>
 * </ol>
 * Only backends with a server at a member's address count.
 */
public final class BackendChoice {

    /** One backend as seen. {@code upAddresses} null: HAProxy was not asked live. */
    public record Backend(String name, List<String> serverAddresses, List<String> upAddresses, String checkUri) {
    }

    /** A decision and the rule that made it, in words; both null when nothing decided. */
    public record Decision(String backend, String rule) {
        static final Decision NONE = new Decision(null, null);
    }

    public record Choice(Decision write, Decision read, List<String> warnings) {
    }

    private static final Set<String> WRITE_CHECKS = Set.of("/primary", "/master", "/leader", "/read-write");
    private static final Set<String> READ_CHECKS = Set.of("/replica", "/read-only", "/standby", "/asynchronous", "/async",
            "/synchronous", "/sync", "/read-only-sync");

    private BackendChoice() {
    }

    public static Choice decide(List<Backend> backends, Set<String> memberAddresses, String leaderAddress, Set<String> replicaAddresses) {
        List<String> warnings = new ArrayList<>();
        List<Backend> candidates = backends.stream()
                .filter(b -> b.serverAddresses().stream().anyMatch(memberAddresses::contains))
                .sorted(java.util.Comparator.comparing(Backend::name)).toList();
        for (Backend b : backends) {
            if (!candidates.contains(b)) {
                warnings.add("HAProxy backend " + b.name() + " has no server at a member's address; not a backend of this cluster");
            }
        }
        Decision write = Decision.NONE;
        Decision read = Decision.NONE;
        // 1. live
        if (leaderAddress != null) {
            List<Backend> w = candidates.stream().filter(b -> b.upAddresses() != null && b.upAddresses().equals(List.of(leaderAddress))).toList();
            write = pick(w, "only its UP server is the leader (" + leaderAddress + ")", warnings, "write");
            String chosenWrite = write.backend();
            List<Backend> r = candidates.stream().filter(b -> !b.name().equals(chosenWrite) && b.upAddresses() != null
                    && !b.upAddresses().isEmpty() && replicaAddresses.containsAll(b.upAddresses())).toList();
            read = pick(r, "its UP servers are replicas (" + String.join(", ", r.isEmpty() ? List.of() : r.get(0).upAddresses()) + ")",
                    warnings, "read");
            if (read.backend() == null) {
                // a read backend may also balance over the leader (Patroni's /read-only)
                List<Backend> r2 = candidates.stream().filter(b -> !b.name().equals(chosenWrite) && b.upAddresses() != null
                        && b.upAddresses().stream().anyMatch(replicaAddresses::contains)).toList();
                read = pick(r2, "replicas are UP in it (with the leader)", warnings, "read");
            }
        }
        // 2. health check, 3. name
        if (write.backend() == null) {
            write = byCheckOrName(candidates, read.backend(), WRITE_CHECKS, List.of("write", "primary", "master", "leader", "rw"), warnings, "write");
        }
        if (read.backend() == null) {
            read = byCheckOrName(candidates, write.backend(), READ_CHECKS, List.of("read", "replica", "standby", "ro"), warnings, "read");
        }
        return new Choice(write, read, List.copyOf(warnings));
    }

    private static Decision byCheckOrName(List<Backend> candidates, String taken, Set<String> checks, List<String> words,
                                          List<String> warnings, String what) {
        List<Backend> free = candidates.stream().filter(b -> !b.name().equals(taken)).toList();
        List<Backend> byCheck = free.stream().filter(b -> b.checkUri() != null && checks.contains(path(b.checkUri()))).toList();
        if (!byCheck.isEmpty()) {
            return pick(byCheck, "its health check asks Patroni's " + path(byCheck.get(0).checkUri()), warnings, what);
        }
        List<Backend> byName = free.stream().filter(b -> nameSays(b.name(), words)).toList();
        return pick(byName, "its name", warnings, what);
    }

    private static Decision pick(List<Backend> found, String rule, List<String> warnings, String what) {
        if (found.isEmpty()) {
            return Decision.NONE;
        }
        if (found.size() > 1) {
            warnings.add("more than one " + what + " backend (" + String.join(", ", found.stream().map(Backend::name).toList())
                    + "); took " + found.get(0).name() + ", the first by name");
        }
        return new Decision(found.get(0).name(), rule);
    }

    static String path(String uri) {
        int q = uri.indexOf('?');
        return (q < 0 ? uri : uri.substring(0, q)).toLowerCase(Locale.ROOT);
    }

    private static boolean nameSays(String name, List<String> words) {
        for (String part : name.toLowerCase(Locale.ROOT).split("[^a-z0-9]+")) {
            for (String w : words) {
                if (part.equals(w) || part.equals(w + "s") || (w.length() > 2 && part.startsWith(w))) {
                    return true;
                }
            }
        }
        return false;
    }
}
