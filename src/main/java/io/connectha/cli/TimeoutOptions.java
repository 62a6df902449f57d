package io.connectha.cli;

import picocli.CommandLine.Option;

import java.time.Duration;

/** {@code --connect-timeout} and {@code --read-timeout}, for commands that talk to one component. */
public final class TimeoutOptions {

    @Option(names = "--connect-timeout", converter = QuantityConverters.PositiveTime.class, defaultValue = "1s", paramLabel = "TIME",
            description = "Connect timeout (default: ${DEFAULT-VALUE}).")
    Duration connectTimeout;

    @Option(names = "--read-timeout", converter = QuantityConverters.PositiveTime.class, defaultValue = "2s", paramLabel = "TIME",
            description = "Read timeout for each answer (default: ${DEFAULT-VALUE}).")
    Duration readTimeout;

    public Duration connect() {
        return connectTimeout;
    }

    public Duration read() {
        return readTimeout;
    }
}
