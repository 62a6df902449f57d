package io.connectha.cli;

import sun.misc.Signal;

/**
 * SIGTERM and SIGINT handled by the command itself rather than by the JVM's shutdown: a resident
 * command then stops in its own order and exits 0, as a service manager expects of a clean stop.
 */
final class Signals {

    private Signals() {
    }

    static void onTermOrInt(Runnable stop) {
        Signal.handle(new Signal("TERM"), s -> stop.run());
        Signal.handle(new Signal("INT"), s -> stop.run());
    }
}
