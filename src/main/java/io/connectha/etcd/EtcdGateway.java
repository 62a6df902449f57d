package io.connectha.etcd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.connectha.error.ConnectError;
import io.connectha.net.Http;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * A few etcd v3 reads over etcd's JSON gateway ({@code /v3/...}), for {@code status}: one HTTP
 * request each, with our timeouts. This keeps jetcd's gRPC stack (thousands of classes and half a
 * second before its first answer) out of the commands that must start fast; the {@code etcd}
 * commands use jetcd. It is the same gateway Patroni's own etcd3 client talks to.
 */
public final class EtcdGateway {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final MediaType TYPE = MediaType.get("application/json");

    private final Http http;

    public EtcdGateway(Http http) {
        this.http = http;
    }

    /** An {@link Http} for the cluster's etcd: https with the cluster file's {@code etcd.tls} when given. */
    public static Http http(io.connectha.cluster.ClusterSpec spec, Duration connectTimeout, Duration readTimeout) {
        return new Http(connectTimeout, readTimeout, io.connectha.net.Tls.load(spec.etcd().tls(), "etcd.tls"));
    }

    /** One endpoint's view: version, database size, its member id, and the raft leader's id. */
    public record EndpointStatus(String endpoint, String version, long dbSizeBytes, String memberId, String leaderId,
                                 long raftTerm) {
        public boolean isLeader() {
            return memberId.equals(leaderId);
        }
    }

    public record Member(String id, String name, List<String> clientUrls, List<String> peerUrls) {
        public Member(String id, String name, List<String> clientUrls) {
            this(id, name, clientUrls, List.of());
        }
    }

    /** A key's value and the time left on its lease (null without a lease). */
    public record KeyValue(String key, String value, Duration leaseRemaining) {
    }

    public EndpointStatus status(String endpoint) {
        JsonNode n = post(endpoint, "/v3/maintenance/status", "{}");
        return new EndpointStatus(endpoint, n.path("version").asText(), n.path("dbSize").asLong(),
                n.path("header").path("member_id").asText(), n.path("leader").asText(), n.path("raftTerm").asLong());
    }

    /** etcd's own {@code GET /health}: whether the member says {@code "health": "true"}, whatever the HTTP status. */
    public boolean healthy(String endpoint) {
        String address = endpoint.replaceFirst("^https?://", "");
        Http.Reply reply = http.get(endpoint + "/health", "etcd", address);
        try {
            return "true".equals(JSON.readTree(reply.body()).path("health").asText());
        } catch (IOException e) {
            throw new ConnectError(ConnectError.Kind.FAILURE, "etcd at " + address + " sent a health answer that is not JSON", e);
        }
    }

    public List<Member> members(String endpoint) {
        JsonNode n = post(endpoint, "/v3/cluster/member/list", "{}");
        List<Member> members = new ArrayList<>();
        for (JsonNode m : n.path("members")) {
            List<String> urls = new ArrayList<>();
            m.path("clientURLs").forEach(u -> urls.add(u.asText()));
            List<String> peers = new ArrayList<>();
            m.path("peerURLs").forEach(u -> peers.add(u.asText()));
            members.add(new Member(m.path("ID").asText(), m.path("name").asText(), urls, peers));
        }
        return members;
    }

    public Optional<KeyValue> get(String endpoint, String key) {
        JsonNode n = post(endpoint, "/v3/kv/range", "{\"key\":\"" + b64(key) + "\"}");
        JsonNode kvs = n.path("kvs");
        if (!kvs.isArray() || kvs.isEmpty()) {
            return Optional.empty();
        }
        JsonNode kv = kvs.get(0);
        String value = new String(Base64.getDecoder().decode(kv.path("value").asText("")), StandardCharsets.UTF_8);
        String lease = kv.path("lease").asText("0");
        Duration remaining = null;
        if (!lease.equals("0")) {
            long ttl = post(endpoint, "/v3/lease/timetolive", "{\"ID\":" + lease + "}").path("TTL").asLong(-1);
            remaining = ttl < 0 ? Duration.ZERO : Duration.ofSeconds(ttl);
        }
        return Optional.of(new KeyValue(key, value, remaining));
    }

    /** Every key under {@code prefix} with its value, in key order (leases not asked). */
    public List<KeyValue> range(String endpoint, String prefix) {
        byte[] end = prefix.getBytes(StandardCharsets.UTF_8).clone();
        // the range end of a prefix: its last byte plus one, as etcdctl get --prefix asks
        end[end.length - 1]++;
        JsonNode n = post(endpoint, "/v3/kv/range", "{\"key\":\"" + b64(prefix) + "\",\"range_end\":\""
                + Base64.getEncoder().encodeToString(end) + "\"}");
        List<KeyValue> values = new ArrayList<>();
        for (JsonNode kv : n.path("kvs")) {
            values.add(new KeyValue(new String(Base64.getDecoder().decode(kv.path("key").asText("")), StandardCharsets.UTF_8),
                    new String(Base64.getDecoder().decode(kv.path("value").asText("")), StandardCharsets.UTF_8), null));
        }
        return values;
    }

    private JsonNode post(String endpoint, String path, String body) {
        String address = endpoint.replaceFirst("^https?://", "");
        Request request = new Request.Builder().url(endpoint + path).post(RequestBody.create(body, TYPE)).build();
        Http.Reply reply = http.execute(request, "etcd", address);
        if (!reply.ok()) {
            throw new ConnectError(ConnectError.Kind.FAILURE, "etcd at " + address + " answered " + reply.code() + " to " + path);
        }
        try {
            return JSON.readTree(reply.body());
        } catch (IOException e) {
            throw new ConnectError(ConnectError.Kind.FAILURE, "etcd at " + address + " sent an answer that is not JSON", e);
        }
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }
}
