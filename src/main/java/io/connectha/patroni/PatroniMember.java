package io.connectha.patroni;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;

import java.util.Map;

/**
 * A member as Patroni's {@code /cluster} reports it. {@code lag} is Patroni's own figure in bytes,
 * from the DCS and up to a loop old; null when Patroni says "unknown" or for the leader.
 */
public record PatroniMember(
        String name,
        Role role,
        String state,
        String host,
        Integer port,
        @JsonProperty("api_url") String apiUrl,
        Integer timeline,
        @JsonProperty("lag") Object lagValue,
        @JsonProperty("pending_restart") Boolean pendingRestart,
        Map<String, Object> tags) {

    /** Patroni's roles, with Patroni's names. */
    public enum Role {
        @JsonProperty("leader") leader,
        @JsonProperty("standby_leader") standby_leader,
        @JsonProperty("sync_standby") sync_standby,
        @JsonProperty("replica") replica,
        @JsonProperty("master") master,
        @JsonProperty("primary") primary;

        /** Patroni's name for a role, or null for one this version does not know. */
        static Role of(String name) {
            for (Role r : values()) {
                if (r.name().equals(name)) {
                    return r;
                }
            }
            return null;
        }

        public boolean isLeader() {
            return this == leader || this == standby_leader || this == master || this == primary;
        }
    }

    /** From one entry of {@code /cluster}'s {@code members}; a role this version does not know reads as null. */
    public static PatroniMember fromJson(JsonNode m) {
        @SuppressWarnings("unchecked")
        Map<String, Object> tags = m.path("tags").isObject() ? (Map<String, Object>) Json.value(m.get("tags")) : null;
        return new PatroniMember(Json.text(m, "name"), Role.of(Json.text(m, "role")), Json.text(m, "state"), Json.text(m, "host"),
                Json.integer(m, "port"), Json.text(m, "api_url"), Json.integer(m, "timeline"), Json.value(m.get("lag")),
                Json.bool(m, "pending_restart"), tags);
    }

    public boolean isLeader() {
        return role != null && role.isLeader();
    }

    public Long lagBytes() {
        return lagValue instanceof Number n ? n.longValue() : null;
    }

    /** "running" or, from Patroni 3.0.4 on, "streaming": PostgreSQL is up. */
    public boolean isRunning() {
        return "running".equals(state) || "streaming".equals(state);
    }
}
