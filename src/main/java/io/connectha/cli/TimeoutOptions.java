package io.connectha.cli;

import io.connectha.cluster.Quantities;
import io.connectha.error.ConnectError;
import picocli.CommandLine.Option;

import java.time.Duration;

/** {@code --connect-timeout} and {@code --read-timeout}, for commands that talk to the cluster. */
public final class TimeoutOptions {

    @Option(names = "--connect-timeout", defaultValue = "1s", paramLabel = "TIME",
            description = "Connect timeout for each member and component (default: ${DEFAULT-VALUE}).")
    String connectTimeout;

    @Option(names = "--read-timeout", defaultValue = "2s", paramLabel = "TIME",
            description = "Read timeout for each answer (default: ${DEFAULT-VALUE}).")
    String readTimeout;

    public Duration connect() {
        return parse(connectTimeout);
    }

    public Duration read() {
        return parse(readTimeout);
    }

    private static Duration parse(String text) {
        try {
            return Quantities.parseDuration(text);
        } catch (IllegalArgumentException e) {
            throw ConnectError.invalidInput(e.getMessage());
        }
    }
}
