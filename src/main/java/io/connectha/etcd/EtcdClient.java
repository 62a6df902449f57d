package io.connectha.etcd;

import io.connectha.error.ConnectError;
import io.etcd.jetcd.ByteSequence;
import io.connectha.net.Tls;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.ClientBuilder;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.cluster.Member;
import io.etcd.jetcd.common.exception.EtcdException;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.PutOption;
import io.etcd.jetcd.lease.LeaseTimeToLiveResponse;
import io.etcd.jetcd.maintenance.StatusResponse;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.LeaseOption;
import io.etcd.jetcd.options.OptionsUtil;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.MethodDescriptor;
import io.grpc.Status;

import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * jetcd (etcd's v3 gRPC API) against one endpoint, with a connect timeout and a deadline on every
 * call. jetcd stays inside this package and is reached only from the etcd commands, so that no
 * other command pays for loading it with its gRPC, Netty and Vert.x stack (some 2,400 classes).
 */
final class EtcdClient implements AutoCloseable {

    /** Keys per range request, so that listing a large keyspace never holds it all in one message. */
    private static final int PAGE_SIZE = 500;

    static final String NO_ANSWER = "no answer";

    /** How a TLS failure's reason starts, so that a message can say "over TLS" instead of "within N ms". */
    static final String TLS = "TLS: ";

    private final String endpoint;
    private final EtcdTimeouts timeouts;
    private final Tls tls;
    private final Client client;

    EtcdClient(String endpoint, EtcdTimeouts timeouts, Tls tls) {
        this.endpoint = endpoint;
        this.timeouts = timeouts;
        this.tls = tls;
        ClientBuilder builder = Client.builder();
        if (tls != null) {
            try {
                // jetcd starts from gRPC's client defaults (ALPN h2); the CA and client certificate are the cluster file's
                builder.sslContext(b -> {
                    b.trustManager(tls.trustManagerFactory());
                    if (tls.keyManagerFactory() != null) {
                        b.keyManager(tls.keyManagerFactory());
                    }
                });
            } catch (javax.net.ssl.SSLException e) {
                throw ConnectError.failure("etcd.tls: cannot set up TLS: " + e.getMessage(), e);
            }
        }
        this.client = builder
                .endpoints(endpoint)
                .connectTimeout(timeouts.connect())
                // fail a call at once when the endpoint is down instead of queueing it until it comes back
                .waitForReady(false)
                // our deadline bounds each call; jetcd's retries would only hide the cause until then
                .retryMaxAttempts(0)
                // as etcdctl: a page of large values may exceed gRPC's default 4 MB
                .maxInboundMessageSize(Integer.MAX_VALUE)
                .interceptor(deadline(timeouts.request()))
                .build();
    }

    /**
     * A gRPC deadline on every call, on top of the wait in {@link #await}: etcd learns it too, and a
     * status call to a hung member ends, which is what makes jetcd shut the channel it opened for it.
     */
    private static ClientInterceptor deadline(Duration request) {
        return new ClientInterceptor() {
            @Override
            public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
                return next.newCall(method, options.withDeadlineAfter(request.toMillis(), TimeUnit.MILLISECONDS));
            }
        };
    }

    String endpoint() {
        return endpoint;
    }

    /**
     * Asks any endpoint for its status over a channel of its own (jetcd's only way to reach one
     * given member), without waiting: the caller asks every endpoint at once.
     */
    CompletableFuture<StatusResponse> statusOf(String anyEndpoint) {
        return client.getMaintenanceClient().statusMember(anyEndpoint);
    }

    List<Member> members() {
        return await(client.getClusterClient().listMember(), "list members").getMembers();
    }

    Optional<KeyValue> get(String key) {
        GetResponse response = await(client.getKVClient().get(bytes(key)), "get " + key);
        return response.getKvs().stream().findFirst();
    }

    /** Every key from {@code prefix} (every key at all when empty), sorted, a page per request. */
    List<KeyValue> range(String prefix) {
        ByteSequence end = prefix.isEmpty() ? ByteSequence.from(new byte[]{0}) : OptionsUtil.prefixEndOf(bytes(prefix));
        ByteSequence from = prefix.isEmpty() ? ByteSequence.from(new byte[]{0}) : bytes(prefix);
        List<KeyValue> all = new ArrayList<>();
        while (true) {
            GetOption page = GetOption.builder()
                    .withRange(end)
                    .withSortField(GetOption.SortTarget.KEY)
                    .withSortOrder(GetOption.SortOrder.ASCEND)
                    .withLimit(PAGE_SIZE)
                    .build();
            GetResponse response = await(client.getKVClient().get(from, page), "range " + (prefix.isEmpty() ? "of all keys" : prefix));
            all.addAll(response.getKvs());
            if (!response.isMore() || response.getKvs().isEmpty()) {
                return all;
            }
            // the next page starts just after the last key: the same key with a zero byte appended
            from = response.getKvs().get(response.getKvs().size() - 1).getKey().concat(ByteSequence.from(new byte[]{0}));
        }
    }

    EtcdLease lease(long id) {
        LeaseTimeToLiveResponse ttl = await(client.getLeaseClient().timeToLive(id, LeaseOption.DEFAULT), "lease time-to-live");
        // etcd answers -1 for a lease that has expired (or was revoked) since the key was read
        return new EtcdLease(Long.toHexString(id), Duration.ofSeconds(Math.max(0, ttl.getGrantedTTL())),
                Duration.ofSeconds(Math.max(0, ttl.getTTL())));
    }

    static ByteSequence bytes(String s) {
        return ByteSequence.from(s, StandardCharsets.UTF_8);
    }

    /** Waits for one call within the request deadline; any failure becomes a ConnectError naming this endpoint. */
    private <T> T await(CompletableFuture<T> call, String what) {
        try {
            return call.get(timeouts.await().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            call.cancel(true);
            throw ConnectError.unreachable("etcd", EtcdEndpointStatus.addressOf(endpoint), timeouts.request(), reason(e, tls), e);
        } catch (ExecutionException e) {
            throw error(e.getCause(), what);
        } catch (InterruptedException e) {
            call.cancel(true);
            Thread.currentThread().interrupt();
            throw ConnectError.failure("interrupted while waiting for etcd at " + EtcdEndpointStatus.addressOf(endpoint), e);
        }
    }

    private ConnectError error(Throwable cause, String what) {
        String tlsReason = tls == null ? null : tls.reason(cause);
        if (tlsReason != null) {
            return ConnectError.tls("etcd", EtcdEndpointStatus.addressOf(endpoint), tlsReason, cause);
        }
        return switch (kind(cause)) {
            case UNREACHABLE -> ConnectError.unreachable("etcd", EtcdEndpointStatus.addressOf(endpoint), timeouts.request(), reason(cause), cause);
            case AUTHENTICATION_FAILED -> ConnectError.authenticationFailed("etcd", EtcdEndpointStatus.addressOf(endpoint), cause);
            default -> ConnectError.failure("etcd at " + EtcdEndpointStatus.addressOf(endpoint) + " failed to " + what + ": " + reason(cause), cause);
        };
    }

    /** Whether a failed call means the endpoint could not be reached, refused us, or failed otherwise. */
    static ConnectError.Kind kind(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SocketException || t instanceof TimeoutException) {
                return ConnectError.Kind.UNREACHABLE;
            }
        }
        return switch (code(failure)) {
            case UNAVAILABLE, DEADLINE_EXCEEDED, CANCELLED -> ConnectError.Kind.UNREACHABLE;
            case UNAUTHENTICATED, PERMISSION_DENIED -> ConnectError.Kind.AUTHENTICATION_FAILED;
            default -> ConnectError.Kind.FAILURE;
        };
    }

    /** As {@link #reason(Throwable)}, but a TLS failure in words of its own, after {@link #TLS}. */
    static String reason(Throwable failure, Tls tls) {
        String tlsReason = tls == null ? null : tls.reason(failure);
        return tlsReason != null ? TLS + tlsReason : reason(failure);
    }

    Tls tls() {
        return tls;
    }

    /**
     * A short reason for people: "connection refused", "no answer", or etcd's own words.
     * The deadline itself is in the message around it.
     */
    static String reason(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof TimeoutException) {
                return NO_ANSWER;
            }
            if (t instanceof SocketException && t.getMessage() != null) {
                // Netty appends the address ("Connection refused: /127.0.0.21:2379"); the message names it already
                String message = t.getMessage();
                int colon = message.indexOf(':');
                return (colon > 0 ? message.substring(0, colon) : message).toLowerCase(Locale.ROOT);
            }
        }
        Status status = Status.fromThrowable(failure);
        if (status.getCode() == Status.Code.DEADLINE_EXCEEDED) {
            return NO_ANSWER;
        }
        String words = status.getDescription() != null ? status.getDescription() : failure.getMessage();
        if (words == null || words.isBlank()) {
            return status.getCode().toString().toLowerCase(Locale.ROOT);
        }
        // gRPC describes an answer that is not gRPC over several lines (status, content type, trailers)
        return words.lines().findFirst().orElse(words).strip();
    }

    private static Status.Code code(Throwable failure) {
        if (failure instanceof EtcdException e) {
            return Status.Code.valueOf(e.getErrorCode().name());
        }
        return Status.fromThrowable(failure).getCode();
    }

    /**
     * jetcd shuts its channels and Vert.x down without waiting; their threads are daemons and end
     * some 25 ms later, and Main's System.exit does not wait for them, so the JVM exits at once.
     */
    @Override
    public void close() {
        client.close();
    }

    /**
     * Puts {@code value} only while the key's mod_revision is still {@code modRevision}, in one etcd
     * transaction; otherwise reads the key back, so that the caller can say what it changed to.
     */
    TxnResponse compareAndPut(String key, long modRevision, String value) {
        ByteSequence k = bytes(key);
        return await(client.getKVClient().txn()
                .If(new Cmp(k, Cmp.Op.EQUAL, CmpTarget.modRevision(modRevision)))
                .Then(Op.put(k, bytes(value), PutOption.DEFAULT))
                .Else(Op.get(k, GetOption.DEFAULT))
                .commit(), "compare-and-swap " + key);
    }
}
