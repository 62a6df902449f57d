package io.connectha.check;

import java.util.Map;

/**
 * What the "changed" items remember between runs. Each item keeps its own part and leaves the other's
 * as it found it, so both may share one file (though two services writing one file at the same moment
 * could lose one's update: docs/checks.md advises a file per service).
 *
 * @param timeline       the leader's timeline at the last timeline_changed run; null before the first
 * @param configHash     {@link ConfigFingerprint#hash()} at the last config_changed run; null before the first
 * @param configSettings the settings behind that hash, so that a change can say from what to what
 */
public record CheckState(String cluster, Integer timeline, String configHash, Map<String, String> configSettings) {

    public CheckState {
        configSettings = configSettings == null ? Map.of() : Map.copyOf(configSettings);
    }

    public static CheckState none(String cluster) {
        return new CheckState(cluster, null, null, Map.of());
    }

    public CheckState withTimeline(Integer t) {
        return new CheckState(cluster, t, configHash, configSettings);
    }

    public CheckState withConfig(ConfigFingerprint c) {
        return new CheckState(cluster, timeline, c.hash(), c.settings());
    }
}
