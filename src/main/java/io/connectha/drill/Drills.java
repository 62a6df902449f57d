package io.connectha.drill;

import io.connectha.error.ConnectError;

/** Small helpers every drill shares: time in ms from a fault, and sleeping that an interrupt (Ctrl-C) ends. */
public final class Drills {

    /** How often drills sample the cluster after a fault. */
    public static final int SAMPLE_MS = 50;

    private Drills() {
    }

    public static long ms(long nanos) {
        return nanos / 1_000_000;
    }

    /** Sleeps; an interrupt ends the drill with a failure rather than being swallowed. */
    public static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConnectError(ConnectError.Kind.FAILURE, "interrupted", e);
        }
    }
}
