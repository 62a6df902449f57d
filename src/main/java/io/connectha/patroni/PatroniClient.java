package io.connectha.patroni;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.connectha.cluster.MemberSpec;
import io.connectha.error.ConnectError;
import io.connectha.net.Http;

import java.io.IOException;

/** Reads Patroni's REST API. Every call has the connect and read timeouts of the {@link Http} it is given. */
public final class PatroniClient {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static final okhttp3.MediaType JSON_TYPE = okhttp3.MediaType.get("application/json");

    private final Http http;
    /** The Authorization header's value; null when the REST API asks for none ({@code rest_api_auth: none}). */
    private final String credentials;
    private final boolean mayChange;

    /** Read-only: Patroni's GET endpoints need no authentication. */
    public PatroniClient(Http http) {
        this.http = http;
        this.credentials = null;
        this.mayChange = false;
    }

    /** With the REST API's user and password, for the endpoints that change something. */
    public PatroniClient(Http http, String user, String password) {
        this.http = http;
        this.credentials = okhttp3.Credentials.basic(user, password);
        this.mayChange = true;
    }

    private PatroniClient(Http http, boolean mayChange) {
        this.http = http;
        this.credentials = null;
        this.mayChange = mayChange;
    }

    /**
     * A client that may change things: with the cluster's REST user and the {@code rest_api} secret, or
     * without any Authorization header when the cluster file says {@code patroni.rest_api_auth: none}
     * (the secret is then neither needed nor read).
     */
    public static PatroniClient authenticated(Http http, io.connectha.cluster.ClusterSpec spec,
                                              io.connectha.cluster.SecretResolver secrets) {
        if (spec.patroni().restApiAuth() == io.connectha.cluster.PatroniSpec.RestApiAuth.none) {
            return new PatroniClient(http, true);
        }
        return new PatroniClient(http, spec.patroni().restUser(), secrets.password(io.connectha.cluster.SecretName.rest_api));
    }

    /** An {@link Http} for the cluster's REST API: https with the cluster file's {@code patroni.rest_api_tls} when given. */
    public static Http http(io.connectha.cluster.ClusterSpec spec, java.time.Duration connectTimeout, java.time.Duration readTimeout) {
        return new Http(connectTimeout, readTimeout,
                io.connectha.net.Tls.load(spec.patroni().restApiTls(), "patroni.rest_api_tls"));
    }

    /** {@code GET /history}: timeline switches, oldest first. */
    public JsonNode history(MemberSpec member) {
        return read(member, "/history");
    }

    /** {@code GET /config}: the dynamic configuration in the DCS. */
    public JsonNode config(MemberSpec member) {
        return read(member, "/config");
    }

    /** Maintenance mode on or off: {@code PATCH /config {"pause": ...}}. */
    public void pause(MemberSpec member, boolean pause) {
        editConfig(member, "{\"pause\": " + pause + "}");
    }

    /** Merges a JSON patch into the dynamic configuration (patronictl edit-config); a key set to null is removed. */
    public void editConfig(MemberSpec member, String jsonPatch) {
        send(member, "PATCH", "/config", jsonPatch);
    }

    /**
     * {@code POST /switchover}: planned, from the current leader to a candidate (or any healthy
     * replica), now or at {@code scheduledAt} (ISO 8601 with offset). Returns Patroni's message.
     */
    public String switchover(MemberSpec member, String leader, String candidate, String scheduledAt) {
        com.fasterxml.jackson.databind.node.ObjectNode body = JSON.createObjectNode().put("leader", leader);
        if (candidate != null) {
            body.put("candidate", candidate);
        }
        if (scheduledAt != null) {
            body.put("scheduled_at", scheduledAt);
        }
        return send(member, "POST", "/switchover", body.toString());
    }

    /** {@code POST /failover}: promote the candidate, whether or not there is a healthy leader. */
    public String failover(MemberSpec member, String candidate) {
        return send(member, "POST", "/failover", JSON.createObjectNode().put("candidate", candidate).toString());
    }

    /** {@code POST /restart} on the member itself; only if a restart is pending when asked. */
    public String restart(MemberSpec member, boolean onlyPending) {
        return send(member, "POST", "/restart", onlyPending ? "{\"restart_pending\": true}" : "{}");
    }

    /** {@code POST /reinitialize}: throw the member's data away and clone it again from the leader. */
    public String reinitialize(MemberSpec member, boolean force) {
        return send(member, "POST", "/reinitialize", "{\"force\": " + force + "}");
    }

    private String send(MemberSpec member, String method, String path, String body) {
        Http.Reply reply = exchange(member, method, path, body);
        if (!reply.ok()) {
            throw refused(member, method, path, reply);
        }
        return reply.body().strip();
    }

    /** A change request and Patroni's answer, whatever its code, once authentication is settled; {@code body} null sends none. */
    private Http.Reply exchange(MemberSpec member, String method, String path, String body) {
        if (!mayChange) {
            throw new IllegalStateException("Patroni's " + method + " " + path + " needs a client made for changes");
        }
        okhttp3.Request.Builder request = new okhttp3.Request.Builder().url(url(member, path))
                .method(method, body == null ? null : okhttp3.RequestBody.create(body, JSON_TYPE));
        if (credentials != null) {
            request.header("Authorization", credentials);
        }
        Http.Reply reply = http.execute(request.build(), component(member), member.restAddress());
        if (reply.code() == 401 && credentials == null) {
            throw new ConnectError(ConnectError.Kind.AUTHENTICATION_FAILED, component(member) + " at " + member.restAddress()
                    + " asks for a password, but patroni.rest_api_auth is none; set it to basic and give the rest_api secret");
        }
        if (reply.code() == 401) {
            throw ConnectError.authenticationFailed(component(member), member.restAddress(), null);
        }
        return reply;
    }

    /** {@code GET /cluster} on one member's Patroni. */
    public PatroniCluster cluster(MemberSpec member) {
        return PatroniCluster.fromJson(read(member, "/cluster"));
    }

    /** {@code GET /patroni}: the member's own view (state, role, timeline, xlog positions). */
    public JsonNode patroni(MemberSpec member) {
        return read(member, "/patroni");
    }

    /** A GET's answer as Jackson's tree; the model is mapped from it by hand ({@link PatroniCluster#fromJson}). */
    private JsonNode read(MemberSpec member, String path) {
        Http.Reply reply = http.get(url(member, path), component(member), member.restAddress());
        if (!reply.ok()) {
            throw new ConnectError(ConnectError.Kind.FAILURE, component(member) + " at " + member.restAddress()
                    + " answered " + reply.code() + " to GET " + path);
        }
        try {
            return JSON.readValue(reply.body(), JsonNode.class);
        } catch (IOException e) {
            throw new ConnectError(ConnectError.Kind.FAILURE, component(member) + " at " + member.restAddress()
                    + " sent an answer to GET " + path + " that is not Patroni JSON: " + e.getMessage(), e);
        }
    }

    private String url(MemberSpec member, String path) {
        return http.scheme() + "://" + member.restAddress() + path;
    }

    static String component(MemberSpec member) {
        return "Patroni on " + member.name();
    }

    /**
     * {@code POST /restart} with a {@code schedule} (ISO 8601 with offset): Patroni restarts the member then.
     * Patroni keeps one scheduled restart per member and refuses a second (409).
     */
    public String scheduleRestart(MemberSpec member, String scheduleAt, boolean onlyPending) {
        com.fasterxml.jackson.databind.node.ObjectNode body = JSON.createObjectNode().put("schedule", scheduleAt);
        if (onlyPending) {
            body.put("restart_pending", true);
        }
        return send(member, "POST", "/restart", body.toString());
    }

    /** {@code POST /reload}: Patroni re-reads its configuration file and has PostgreSQL reload its own. */
    public String reload(MemberSpec member) {
        return send(member, "POST", "/reload", "{}");
    }

    /**
     * {@code DELETE /restart}: cancels the member's scheduled restart. Empty when none was scheduled
     * (Patroni answers 404 then), otherwise Patroni's message.
     */
    public java.util.Optional<String> cancelScheduledRestart(MemberSpec member) {
        return cancel(member, "/restart");
    }

    /** {@code DELETE /switchover}: cancels the cluster's scheduled switchover; empty when none was scheduled. */
    public java.util.Optional<String> cancelScheduledSwitchover(MemberSpec member) {
        return cancel(member, "/switchover");
    }

    private java.util.Optional<String> cancel(MemberSpec member, String path) {
        Http.Reply reply = exchange(member, "DELETE", path, null);
        if (reply.code() == 404) {
            return java.util.Optional.empty();
        }
        if (!reply.ok()) {
            throw refused(member, "DELETE", path, reply);
        }
        return java.util.Optional.of(reply.body().strip());
    }

    private static ConnectError refused(MemberSpec member, String method, String path, Http.Reply reply) {
        return new ConnectError(ConnectError.Kind.FAILURE, component(member) + " refused " + method + " " + path + ": "
                + (reply.body().isBlank() ? "HTTP " + reply.code() : reply.body().strip()));
    }
}
