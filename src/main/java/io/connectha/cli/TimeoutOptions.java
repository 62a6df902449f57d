package io.connectha.cli;

import io.connectha.cluster.Quantities;
import io.connectha.error.ConnectError;
import picocli.CommandLine.Option;

import java.time.Duration;

/** {@code --connect-timeout} and {@code --read-timeout}, for commands that talk to one component. */
public final class TimeoutOptions {

    @Option(names = "--connect-timeout", defaultValue = "1s", paramLabel = "TIME",
            description = "Connect timeout (default: ${DEFAULT-VALUE}).")
    String connectTimeout;

    @Option(names = "--read-timeout", defaultValue = "2s", paramLabel = "TIME",
            description = "Read timeout for each answer (default: ${DEFAULT-VALUE}).")
    String readTimeout;

    public Duration connect() {
        return parseOption("--connect-timeout", connectTimeout);
    }

    public Duration read() {
        return parseOption("--read-timeout", readTimeout);
    }

    /** A duration option of any command, more than zero; a bad one is a usage error. */
    public static Duration parseOption(String option, String text) {
        try {
            Duration d = Quantities.parseDuration(text);
            if (d.isZero() || d.isNegative()) {
                throw new IllegalArgumentException("must be more than 0");
            }
            return d;
        } catch (IllegalArgumentException e) {
            throw ConnectError.invalidInput(option + " " + text + ": " + e.getMessage());
        }
    }
}
