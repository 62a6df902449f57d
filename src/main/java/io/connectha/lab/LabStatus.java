package io.connectha.lab;

import java.util.List;

/**
 * A lab's processes; {@code alreadyRunning} when {@code lab up} found it up and started nothing; {@code network}
 * for a lab in network namespaces, null on loopback.
 */
public record LabStatus(String dir, String clusterFile, List<LabProcess> processes, boolean alreadyRunning, LabNetworkStatus network) {

    public LabStatus(String dir, String clusterFile, List<LabProcess> processes, boolean alreadyRunning) {
        this(dir, clusterFile, processes, alreadyRunning, null);
    }

    public LabStatus withAlreadyRunning() {
        return new LabStatus(dir, clusterFile, processes, true, network);
    }

    public boolean allRunning() {
        return !processes.isEmpty() && processes.stream().allMatch(LabProcess::running);
    }

    public boolean noneRunning() {
        return processes.stream().noneMatch(LabProcess::running);
    }
}
