package io.connectha.patroni;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.connectha.cluster.MemberSpec;
import io.connectha.error.ConnectError;
import io.connectha.net.Http;

import java.io.IOException;

/** Reads Patroni's REST API. Every call has the connect and read timeouts of the {@link Http} it is given. */
public final class PatroniClient {

    private static final ObjectMapper JSON = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private final Http http;

    public PatroniClient(Http http) {
        this.http = http;
    }

    /** {@code GET /cluster} on one member's Patroni. */
    public PatroniCluster cluster(MemberSpec member) {
        return read(member, "/cluster", PatroniCluster.class);
    }

    /** {@code GET /patroni}: the member's own view (state, role, timeline, xlog positions). */
    public JsonNode patroni(MemberSpec member) {
        return read(member, "/patroni", JsonNode.class);
    }

    /** The HTTP status of a health endpoint such as {@code /primary} or {@code /replica}: 200 or 503. */
    public int health(MemberSpec member, String path) {
        return http.get(url(member, path), component(member), member.restAddress()).code();
    }

    private <T> T read(MemberSpec member, String path, Class<T> type) {
        Http.Reply reply = http.get(url(member, path), component(member), member.restAddress());
        if (!reply.ok()) {
            throw new ConnectError(ConnectError.Kind.FAILURE, component(member) + " at " + member.restAddress()
                    + " answered " + reply.code() + " to GET " + path);
        }
        try {
            return JSON.readValue(reply.body(), type);
        } catch (IOException e) {
            throw new ConnectError(ConnectError.Kind.FAILURE, component(member) + " at " + member.restAddress()
                    + " sent an answer to GET " + path + " that is not Patroni JSON: " + e.getMessage(), e);
        }
    }

    private static String url(MemberSpec member, String path) {
        return "http://" + member.restAddress() + path;
    }

    static String component(MemberSpec member) {
        return "Patroni on " + member.name();
    }
}
