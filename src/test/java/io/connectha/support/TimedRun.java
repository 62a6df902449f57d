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
        try (ServerSocket s = listen(InetAddress.getLoopbackAddress(), 1)) {
            return s.getLocalPort();
        }
    }

    /** The ports tests bind for themselves: below Linux's ephemeral range (which connect warns of), above the labs'. */
    private static final int FIRST = 29500;
    private static final int SPAN = 32700 - FIRST;
    private static final java.util.concurrent.atomic.AtomicInteger NEXT =
            new java.util.concurrent.atomic.AtomicInteger(new java.util.Random().nextInt(SPAN));

    /** A listening socket on a free port below the ephemeral range, that accepts and never answers unless used. */
    public static ServerSocket listen(InetAddress address, int backlog) throws IOException {
        IOException last = null;
        for (int i = 0; i < 200; i++) {
            int port = FIRST + Math.floorMod(NEXT.getAndIncrement(), SPAN);
            ServerSocket s = new ServerSocket();
            try {
                s.bind(new java.net.InetSocketAddress(address, port), backlog);
                return s;
            } catch (IOException e) {
                s.close();
                last = e;
            }
        }
        throw last;
    }
}
