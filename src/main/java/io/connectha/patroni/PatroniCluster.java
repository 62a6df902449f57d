package io.connectha.patroni;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;
import java.util.Optional;

/** Patroni's {@code /cluster}: the members, maintenance mode, and a scheduled switchover. */
public record PatroniCluster(
        List<PatroniMember> members,
        @JsonProperty("pause") Boolean paused,
        @JsonProperty("scheduled_switchover") ScheduledSwitchover scheduledSwitchover) {

        public record ScheduledSwitchover(String at, String from, String to) {
    }

    /**
     * From {@code /cluster}'s JSON tree. Mapped by hand rather than bound by Jackson: binding
     * introspects the records (reflection, annotation proxies) on every run, which cost a fresh
     * {@code ha status} or {@code ha patroni list} more than parsing the answers.
     */
    public static PatroniCluster fromJson(JsonNode n) {
        List<PatroniMember> members = new java.util.ArrayList<>();
        for (JsonNode m : n.path("members")) {
            members.add(PatroniMember.fromJson(m));
        }
        JsonNode s = n.path("scheduled_switchover");
        return new PatroniCluster(members, Json.bool(n, "pause"),
                s.isObject() ? new ScheduledSwitchover(Json.text(s, "at"), Json.text(s, "from"), Json.text(s, "to")) : null);
    }

    public List<PatroniMember> leaders() {
        return members.stream().filter(PatroniMember::isLeader).toList();
    }

    public Optional<PatroniMember> leader() {
        List<PatroniMember> leaders = leaders();
        return leaders.size() == 1 ? Optional.of(leaders.get(0)) : Optional.empty();
    }

    public boolean isPaused() {
        return Boolean.TRUE.equals(paused);
    }
}
