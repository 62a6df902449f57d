package io.connectha.lab;

import java.util.List;

/** A lab's processes; {@code alreadyRunning} when {@code lab up} found it up and started nothing. */
public record LabStatus(String dir, String clusterFile, List<LabProcess> processes, boolean alreadyRunning) {

    public boolean allRunning() {
        return !processes.isEmpty() && processes.stream().allMatch(LabProcess::running);
    }

    public boolean noneRunning() {
        return processes.stream().noneMatch(LabProcess::running);
    }
}
