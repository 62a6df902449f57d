package io.connectha.patroni;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;
import java.util.Optional;

/** Patroni's {@code /cluster}: the members, maintenance mode, and a scheduled switchover. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record PatroniCluster(
        List<PatroniMember> members,
        @JsonProperty("pause") Boolean paused,
        @JsonProperty("scheduled_switchover") ScheduledSwitchover scheduledSwitchover) {

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record ScheduledSwitchover(String at, String from, String to) {
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
