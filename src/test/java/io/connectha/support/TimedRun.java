package io.connectha.support;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;

/** A command run with how long it took: for the tests that prove a command keeps its deadline. */
public record TimedRun(CommandRun run, Duration took) {

    public static TimedRun of(String... args) {
        long start = System.nanoTime();
        CommandRun run = CommandRun.of(args);
        return new TimedRun(run, Duration.ofNanos(System.nanoTime() - start));
    }

    public static TimedRun of(List<String> args) {
        return of(args.toArray(String[]::new));
    }

    /** A loopback port that was free a moment ago: connecting to it is refused at once. */
    public static int portNobodyListensOn() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
