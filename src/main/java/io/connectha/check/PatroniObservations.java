package io.connectha.check;

import io.connectha.patroni.PatroniCluster;

import java.util.List;
import java.util.Map;

/**
 * What Patroni said, for the check items: {@code /cluster} from the first member that answered, each
 * member's own {@code /patroni}, and {@code /config}. A source no item asked for is null.
 *
 * @param fileMembers the members the cluster file lists, in its order
 * @param cluster     {@code /cluster}
 * @param nodes       each member's {@code /patroni}, by member name, in the file's order
 * @param config      {@code /config}, the DCS configuration as Patroni's JSON tree
 */
public record PatroniObservations(String clusterName, List<String> fileMembers, PatroniCluster cluster, Map<String, Node> nodes,
                                  com.fasterxml.jackson.databind.JsonNode config) {

    /**
     * One member's {@code /patroni}, or why it did not answer ({@code error} not null, the rest null).
     *
     * @param streamingReplicas on a leader, the application names its pg_stat_replication shows streaming
     * @param scheduledRestartAt when a restart is scheduled on the member, Patroni's time for it
     */
    public record Node(String name, String error, String role, String state, Integer timeline, Boolean pendingRestart,
                       String scheduledRestartAt, List<String> streamingReplicas, String patroniVersion) {

        public static Node unanswered(String name, String error) {
            return new Node(name, error, null, null, null, null, null, null, null);
        }

        public boolean answered() {
            return error == null;
        }
    }
}
