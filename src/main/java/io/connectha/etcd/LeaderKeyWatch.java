package io.connectha.etcd;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.connectha.error.ConnectError;
import io.connectha.net.Http;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Objects;

/**
 * Watches one key (Patroni's leader key) through etcd's JSON gateway, so that a change is known the
 * moment etcd applies it, not at the next poll. It reads the key and its revision first, then watches
 * from the next revision, so no change between the two is missed; after a broken stream it reads again
 * and tells only what changed. A stream to a frozen or black-holed endpoint is silent rather than
 * broken: whoever runs the watch calls {@link #abandon} when the endpoint stops answering elsewhere,
 * and the watch moves on to the next endpoint.
 */
public final class LeaderKeyWatch implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LeaderKeyWatch.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final MediaType TYPE = MediaType.get("application/json");
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(2);

    /** Told on the watch's own thread; must not block. */
    public interface Listener {
        /**
         * @param holder   the member now holding the key; null when the key is gone (expired or deleted)
         * @param revision etcd's revision of the change (the read's revision for the first reading)
         * @param initial  the first reading, or the reading after a broken stream, rather than a watched change
         */
        void leaderKey(Instant at, String holder, long revision, boolean initial);
    }

    private final Http http;
    private final Http streaming;
    private final List<String> endpoints;
    private final String key;
    private final Listener listener;
    private final Clock clock;
    private final Thread thread;
    private volatile boolean closed;
    private volatile Http.Stream current;
    private volatile String currentEndpoint;
    private volatile Instant lastHeard;
    private int next;

    /**
     * @param http a client with the cluster's etcd TLS and its timeouts, for the reads; the watch itself
     *             has no read timeout
     */
    public LeaderKeyWatch(Http http, List<String> endpoints, String key, Listener listener, Clock clock) {
        this.http = http;
        this.streaming = http;
        this.endpoints = List.copyOf(endpoints);
        this.key = key;
        this.listener = listener;
        this.clock = clock;
        this.thread = new Thread(this::run, "etcd-watch");
        this.thread.setDaemon(true);
    }

    public void start() {
        thread.start();
    }

    /** The endpoint watched now, or null between streams. */
    public String endpoint() {
        return current == null ? null : currentEndpoint;
    }

    /** When etcd last said anything on the watch (a change, or the stream's start); null before. */
    public Instant lastHeard() {
        return lastHeard;
    }

    /** Drops the stream to {@code endpoint} (it stopped answering): the watch reads again and watches another. */
    public void abandon(String endpoint) {
        Http.Stream s = current;
        if (s != null && endpoint.equals(currentEndpoint)) {
            LOG.info("etcd watch: {} does not answer; watching the next endpoint", endpoint);
            s.close();
        }
    }

    private void run() {
        String known = null;
        boolean knownSet = false;
        Duration backoff = Duration.ofMillis(100);
        while (!closed) {
            String endpoint = endpoints.get(next % endpoints.size());
            try {
                Reading r = read(endpoint);
                if (!knownSet || !Objects.equals(known, r.holder)) {
                    listener.leaderKey(clock.instant(), r.holder, r.revision, true);
                    known = r.holder;
                    knownSet = true;
                }
                known = watch(endpoint, r.revision + 1, known);
                backoff = Duration.ofMillis(100);
            } catch (IOException | RuntimeException e) {
                if (closed) {
                    return;
                }
                LOG.debug("etcd watch on {}: {}", endpoint, e.getMessage());
                next++;
                sleep(backoff);
                backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
            }
        }
    }

    private record Reading(String holder, long revision) {
    }

    private Reading read(String endpoint) throws IOException {
        String address = endpoint.replaceFirst("^https?://", "");
        Request request = new Request.Builder().url(endpoint + "/v3/kv/range")
                .post(RequestBody.create("{\"key\":\"" + b64(key) + "\"}", TYPE)).build();
        Http.Reply reply = http.execute(request, "etcd", address);
        if (!reply.ok()) {
            throw new ConnectError(ConnectError.Kind.FAILURE, "etcd at " + address + " answered " + reply.code());
        }
        JsonNode n = JSON.readTree(reply.body());
        long revision = n.path("header").path("revision").asLong();
        JsonNode kvs = n.path("kvs");
        String holder = kvs.isArray() && !kvs.isEmpty() ? text(kvs.get(0).path("value").asText("")) : null;
        return new Reading(holder, revision);
    }

    /** Follows the stream until it breaks; returns the last holder it told. */
    private String watch(String endpoint, long fromRevision, String known) throws IOException {
        String address = endpoint.replaceFirst("^https?://", "");
        String body = "{\"create_request\":{\"key\":\"" + b64(key) + "\",\"start_revision\":" + fromRevision + "}}";
        Http.Stream stream = streaming.stream(new Request.Builder().url(endpoint + "/v3/watch")
                .post(RequestBody.create(body, TYPE)).build(), "etcd", address);
        currentEndpoint = endpoint;
        current = stream;
        try (stream) {
            if (closed) {
                return known;
            }
            InputStream in = stream.open();
            lastHeard = clock.instant();
            try (MappingIterator<JsonNode> messages = JSON.readerFor(JsonNode.class)
                    .without(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                    .readValues(JSON.getFactory().createParser(in).disable(JsonParser.Feature.AUTO_CLOSE_SOURCE))) {
                while (!closed && messages.hasNextValue()) {
                    JsonNode result = messages.nextValue().path("result");
                    lastHeard = clock.instant();
                    if (result.path("canceled").asBoolean(false) || result.path("compact_revision").asLong(0) > 0) {
                        // compacted past our revision, or canceled by etcd: read again and watch from there
                        throw new ConnectError(ConnectError.Kind.FAILURE, "etcd canceled the watch");
                    }
                    for (JsonNode event : result.path("events")) {
                        boolean deleted = "DELETE".equals(event.path("type").asText());
                        String holder = deleted ? null : text(event.path("kv").path("value").asText(""));
                        long revision = event.path("kv").path("mod_revision").asLong(result.path("header").path("revision").asLong());
                        if (!Objects.equals(holder, known)) {
                            listener.leaderKey(clock.instant(), holder, revision, false);
                            known = holder;
                        }
                    }
                }
            }
            throw new ConnectError(ConnectError.Kind.UNREACHABLE, "etcd at " + address + " ended the watch");
        } finally {
            current = null;
        }
    }

    private static String text(String base64) {
        return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    private void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closed = true;
        }
    }

    @Override
    public void close() {
        closed = true;
        Http.Stream s = current;
        if (s != null) {
            s.close();
        }
        thread.interrupt();
        try {
            thread.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
