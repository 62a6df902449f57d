package io.connectha.process;

import io.connectha.units.Units;

import java.io.PrintWriter;
import java.time.Duration;

/** Progress of a long operation, one line per step on stderr, with the time each step took. */
public final class Progress {

    private final PrintWriter err;
    private final boolean quiet;

    public Progress(PrintWriter err, boolean quiet) {
        this.err = err;
        this.quiet = quiet;
    }

    public void info(String message) {
        if (!quiet) {
            err.println(message);
            err.flush();
        }
    }

    public void step(String message, Duration took) {
        info(String.format(java.util.Locale.ROOT, "%-60s %8s", message, Units.humanDuration(took)));
    }

    public void warn(String message) {
        if (!quiet) {
            err.println("warning: " + message);
            err.flush();
        }
    }
}
