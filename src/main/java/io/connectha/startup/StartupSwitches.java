package io.connectha.startup;

/**
 * For measuring what each start-up piece saves: {@code CONNECT_STARTUP_OFF=command-model,partial-tree,cluster-cache}
 * switches those pieces off ({@code AB=... scripts/bench} compares each with all on; docs/bench.md).
 */
public final class StartupSwitches {

    /** The list with commas around it, so that a piece is found by {@code ,name,} (no streams or sets on every run's path). */
    private static final String OFF = "," + String.valueOf(System.getenv("CONNECT_STARTUP_OFF")).replace(" ", "") + ",";

    private StartupSwitches() {
    }

    public static boolean on(String piece) {
        return !OFF.contains("," + piece + ",");
    }
}
