package io.connectha.lab;

import java.util.List;

/** What {@code lab down} stopped, and anything it could not free. */
public record LabDownReport(String dir, List<String> stopped, List<String> portsStillBound, List<Long> survivors, boolean purged) {

    public boolean clean() {
        return portsStillBound.isEmpty() && survivors.isEmpty();
    }
}
