package io.connectha.check;

/**
 * The thresholds of the check items, resolved (no defaults left to apply).
 *
 * @param maxLagBytes          a replica lagging more bytes than this is not healthy (replicas)
 * @param minReplicasWarning   fewer healthy replicas warn (replicas)
 * @param minReplicasCritical  fewer healthy replicas are critical (replicas)
 * @param minMembersWarning    fewer healthy members warn (members)
 * @param minMembersCritical   fewer healthy members are critical (members)
 */
public record ItemOptions(long maxLagBytes, int minReplicasWarning, int minReplicasCritical, int minMembersWarning, int minMembersCritical) {
}
