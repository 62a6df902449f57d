package io.connectha.lab;

import java.util.List;

/**
 * The network of a lab in namespaces, as {@code lab status} shows it: its range, bridge and namespaces, and
 * which namespaces hold a drill's partition rules now (none, unless a drill is running or was killed).
 */
public record LabNetworkStatus(String subnet, String bridge, boolean bridgeUp, List<String> namespaces, List<String> partitioned) {
}
