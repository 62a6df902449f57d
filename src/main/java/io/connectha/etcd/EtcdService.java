package io.connectha.etcd;

import io.connectha.cluster.ClusterSpec;
import io.connectha.error.ConnectError;
import io.connectha.patroni.PatroniKeys;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.cluster.Member;
import io.etcd.jetcd.maintenance.StatusResponse;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * What the etcd commands ask of etcd, as plain records. Every request first asks each endpoint of
 * the cluster file for its status, all at once, then reads from the first that answered: one dead
 * or hung member costs at most one request deadline, whatever its place in the file.
 */
public final class EtcdService implements AutoCloseable {

    private final List<String> endpoints;
    private final PatroniKeys patroniKeys;
    private final EtcdTimeouts timeouts;
    private final EtcdClient first;
    private EtcdClient reader;

    private final io.connectha.net.Tls tls;

    EtcdService(List<String> endpoints, PatroniKeys patroniKeys, EtcdTimeouts timeouts) {
        this(endpoints, patroniKeys, timeouts, null);
    }

    EtcdService(List<String> endpoints, PatroniKeys patroniKeys, EtcdTimeouts timeouts, io.connectha.net.Tls tls) {
        if (endpoints.isEmpty()) {
            throw ConnectError.invalidInput("the cluster file lists no etcd member");
        }
        this.endpoints = List.copyOf(endpoints);
        this.patroniKeys = patroniKeys;
        this.timeouts = timeouts;
        this.tls = tls;
        this.first = new EtcdClient(endpoints.get(0), timeouts, tls);
    }

    /** The cluster file's etcd endpoints, and its Patroni namespace and scope. Nothing connects until asked. */
    public static EtcdService open(ClusterSpec cluster) {
        return new EtcdService(cluster.etcd().endpoints(), PatroniKeys.of(cluster.patroni()), EtcdTimeouts.DEFAULT,
                io.connectha.net.Tls.load(cluster.etcd().tls(), "etcd.tls"));
    }

    public PatroniKeys patroniKeys() {
        return patroniKeys;
    }

    public EtcdTimeouts timeouts() {
        return timeouts;
    }

    /** Every endpoint's own status, the raft leader, and who holds Patroni's leader key. Unreachable endpoints are in the result. */
    public EtcdStatus status() {
        List<Probe> probes = collect(askAll(), System.nanoTime() + timeouts.await().toNanos(), tls);
        Optional<EtcdClient> client = probes.stream().filter(Probe::answered).findFirst().map(p -> readerFor(p.endpoint()));
        Map<Long, String> names = client.map(c -> memberNames(c.members())).orElse(Map.of());
        List<EtcdEndpointStatus> statuses = probes.stream().map(p -> p.toStatus(names)).toList();
        String raftLeader = raftLeaderId(probes).map(id -> nameOf(id, names)).orElse(null);
        PatroniLeaderKey patroniLeader = client.map(this::patroniLeader).orElse(null);
        return new EtcdStatus(statuses, raftLeader, patroniLeader);
    }

    /** The member list, with the raft leader (as the first endpoint to answer knows it) marked. */
    public List<EtcdMember> members() {
        Probe answer = firstAnswer();
        long leader = answer.status().getLeader();
        return readerFor(answer.endpoint()).members().stream()
                .map(m -> new EtcdMember(Long.toHexString(m.getId()), m.getName(),
                        m.getPeerURIs().stream().map(URI::toString).toList(),
                        m.getClientURIs().stream().map(URI::toString).toList(),
                        m.getId() == leader, m.isLearner()))
                .toList();
    }

    /**
     * One key, its value decoded, its lease with the time left. {@code key} is absolute when it
     * starts with {@code /}, else under the cluster's Patroni prefix.
     */
    public Optional<EtcdEntry> get(String key) {
        String absolute = patroniKeys.resolve(key);
        EtcdClient client = readerFor(firstAnswer().endpoint());
        return client.get(absolute).map(kv -> {
            byte[] raw = kv.getValue().getBytes();
            EtcdValue value = EtcdValue.decode(raw, patroniKeys.holdsJson(absolute));
            return new EtcdEntry(absolute, value.value(), value.format(), raw.length,
                    kv.getCreateRevision(), kv.getModRevision(), kv.getVersion(), leaseOf(client, kv.getLease()));
        });
    }

    /** Keys under {@code prefix} (relative ones under the Patroni prefix), or the whole keyspace when it is empty. */
    public EtcdKeyListing keys(Optional<String> prefix) {
        String absolute = prefix.map(patroniKeys::resolve).orElse("");
        EtcdClient client = readerFor(firstAnswer().endpoint());
        // Patroni's leader key shares the leader's lease with its member key: ask about each lease once
        Map<Long, EtcdLease> leases = new HashMap<>();
        List<EtcdKey> keys = new ArrayList<>();
        for (KeyValue kv : client.range(absolute)) {
            EtcdLease lease = kv.getLease() == 0 ? null : leases.computeIfAbsent(kv.getLease(), client::lease);
            keys.add(new EtcdKey(kv.getKey().toString(StandardCharsets.UTF_8), kv.getValue().size(),
                    kv.getCreateRevision(), kv.getModRevision(), kv.getVersion(), lease));
        }
        return new EtcdKeyListing(prefix.isPresent() ? absolute : null, keys);
    }

    private PatroniLeaderKey patroniLeader(EtcdClient client) {
        String key = patroniKeys.leader();
        return client.get(key)
                .map(kv -> new PatroniLeaderKey(key, kv.getValue().toString(StandardCharsets.UTF_8),
                        leaseOf(client, kv.getLease())))
                .orElse(new PatroniLeaderKey(key, null, null));
    }

    /** Lease 0 is etcd's "no lease". */
    private static EtcdLease leaseOf(EtcdClient client, long id) {
        return id == 0 ? null : client.lease(id);
    }

    // ---------------------------------------------------------------- endpoints

    /** One endpoint's answer to a status request, or why there was none. */
    private record Probe(String endpoint, StatusResponse status, String error, Throwable failure) {

        boolean answered() {
            return status != null;
        }

        EtcdEndpointStatus toStatus(Map<Long, String> names) {
            if (!answered()) {
                return EtcdEndpointStatus.unreachable(endpoint, error);
            }
            long id = status.getHeader().getMemberId();
            long leader = status.getLeader();
            return new EtcdEndpointStatus(endpoint, true, null, Long.toHexString(id), nameOf(id, names), status.getVersion(),
                    status.getDbSize(), leader == 0 ? null : Long.toHexString(leader), leader == 0 ? null : nameOf(leader, names),
                    status.getRaftTerm(), status.getRaftIndex());
        }
    }

    /** Sends a status request to every endpoint at once, each over a channel of its own. */
    private Map<String, CompletableFuture<StatusResponse>> askAll() {
        Map<String, CompletableFuture<StatusResponse>> calls = new LinkedHashMap<>();
        for (String endpoint : endpoints) {
            calls.put(endpoint, first.statusOf(endpoint));
        }
        return calls;
    }

    /** Every endpoint's answer, or why there was none by the deadline. */
    private static List<Probe> collect(Map<String, CompletableFuture<StatusResponse>> calls, long deadlineNanos,
                                       io.connectha.net.Tls tls) {
        List<Probe> probes = new ArrayList<>();
        for (Map.Entry<String, CompletableFuture<StatusResponse>> call : calls.entrySet()) {
            String endpoint = call.getKey();
            try {
                StatusResponse status = call.getValue().get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
                probes.add(new Probe(endpoint, status, null, null));
            } catch (TimeoutException e) {
                call.getValue().cancel(true);
                probes.add(new Probe(endpoint, null, EtcdClient.reason(e), e));
            } catch (ExecutionException e) {
                probes.add(new Probe(endpoint, null, EtcdClient.reason(e.getCause(), tls), e.getCause()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw ConnectError.failure("interrupted while asking etcd for its status", e);
            }
        }
        return probes;
    }

    /**
     * The first endpoint to answer: reads need only one, and need not wait for a hung one.
     * Throws when none answers within the request deadline.
     */
    private Probe firstAnswer() {
        Map<String, CompletableFuture<StatusResponse>> calls = askAll();
        long deadline = System.nanoTime() + timeouts.await().toNanos();
        CompletableFuture<Probe> firstAnswer = new CompletableFuture<>();
        AtomicInteger failed = new AtomicInteger();
        calls.forEach((endpoint, call) -> call.whenComplete((status, failure) -> {
            if (failure == null) {
                firstAnswer.complete(new Probe(endpoint, status, null, null));
            } else if (failed.incrementAndGet() == calls.size()) {
                firstAnswer.complete(null);
            }
        }));
        Probe answer = firstAnswer.completeOnTimeout(null, timeouts.await().toNanos(), TimeUnit.NANOSECONDS).join();
        if (answer != null) {
            return answer;
        }
        // every endpoint failed or is still silent: collect says which and why
        List<Probe> probes = collect(calls, deadline, tls);
        Throwable cause = probes.stream().map(Probe::failure).filter(Objects::nonNull).findFirst().orElse(null);
        throw unreachable(probes.stream().map(p -> p.toStatus(Map.of())).toList(), timeouts, cause);
    }

    /** The client that reads from {@code endpoint}: the first endpoint's when it is that one, else a client of its own. */
    private EtcdClient readerFor(String endpoint) {
        if (endpoint.equals(first.endpoint())) {
            return first;
        }
        if (reader == null || !reader.endpoint().equals(endpoint)) {
            if (reader != null) {
                reader.close();
            }
            reader = new EtcdClient(endpoint, timeouts, tls);
        }
        return reader;
    }

    /** The leader of the newest raft term any endpoint reports; empty when none knows of a leader. */
    private static Optional<Long> raftLeaderId(List<Probe> probes) {
        return probes.stream().filter(Probe::answered)
                .filter(p -> p.status().getLeader() != 0)
                // a plain lambda: Comparator.comparingLong's is serializable, which a class-data cache cannot hold
                .max((a, b) -> Long.compare(a.status().getRaftTerm(), b.status().getRaftTerm()))
                .map(p -> p.status().getLeader());
    }

    private static Map<Long, String> memberNames(List<Member> members) {
        return members.stream().filter(m -> !m.getName().isEmpty())
                .collect(Collectors.toMap(Member::getId, Member::getName, (a, b) -> a));
    }

    private static String nameOf(long id, Map<Long, String> names) {
        return names.getOrDefault(id, Long.toHexString(id));
    }

    /**
     * One line for endpoints that did not answer: "could not reach etcd at 127.0.0.21:2379 within
     * 2000 ms: connection refused"; with several, each address with its reason unless all share one.
     */
    public static ConnectError unreachable(List<EtcdEndpointStatus> down, EtcdTimeouts timeouts, Throwable cause) {
        String addresses = down.stream().map(EtcdEndpointStatus::address).collect(Collectors.joining(", "));
        Set<String> reasons = down.stream().map(EtcdEndpointStatus::error).collect(Collectors.toCollection(LinkedHashSet::new));
        String reason = reasons.size() == 1 ? reasons.iterator().next()
                : down.stream().map(d -> d.error() + " (" + d.address() + ")").collect(Collectors.joining("; "));
        if (reasons.size() == 1 && reason != null && reason.startsWith(EtcdClient.TLS)) {
            return ConnectError.tls("etcd", addresses, reason.substring(EtcdClient.TLS.length()), cause);
        }
        return ConnectError.unreachable("etcd", addresses, timeouts.request(), reason, cause);
    }

    @Override
    public void close() {
        if (reader != null) {
            reader.close();
        }
        first.close();
    }

    /**
     * Writes {@code value} under {@code key} only if nobody changed the key since it was read at
     * {@code modRevision} (etcd's compare-and-swap, as patronictl edit-config does through Patroni's
     * own etcd client). {@code key} as in {@link #get}.
     */
    public EtcdWrite compareAndPut(String key, long modRevision, String value) {
        String absolute = patroniKeys.resolve(key);
        io.etcd.jetcd.kv.TxnResponse txn = readerFor(firstAnswer().endpoint()).compareAndPut(absolute, modRevision, value);
        if (txn.isSucceeded()) {
            // the transaction's revision is the one its put gave the key
            return new EtcdWrite(true, modRevision, txn.getHeader().getRevision());
        }
        long now = txn.getGetResponses().stream().flatMap(r -> r.getKvs().stream()).mapToLong(KeyValue::getModRevision)
                .findFirst().orElse(0L);
        return new EtcdWrite(false, modRevision, now);
    }
}
