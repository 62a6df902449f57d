package io.connectha.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * Where a run's time goes, for start-up work: with {@code CONNECT_TIMING=1} each phase's time since
 * the JVM started is printed on stderr at exit. Costs nothing otherwise.
 */
public final class Timing {

    private static final boolean ON = "1".equals(System.getenv("CONNECT_TIMING"));
    private static final List<String> MARKS = new ArrayList<>();
    private static final long NANO_AT_FIRST_MARK = System.nanoTime();
    /** Milliseconds from the process start to the first mark, read once: /proc is not free. */
    private static long startToFirstMark = -1;

    private Timing() {
    }

    public static synchronized void mark(String phase) {
        if (ON) {
            long now = System.nanoTime();
            if (startToFirstMark < 0) {
                // process start comes from /proc with the boot time's 1 s resolution: an estimate only
                long start = ProcessHandle.current().info().startInstant().map(java.time.Instant::toEpochMilli).orElse(0L);
                startToFirstMark = System.currentTimeMillis() - start;
            }
            MARKS.add(String.format("%6d ms  %s", (now - NANO_AT_FIRST_MARK) / 1_000_000, phase));
        }
    }

    static void print() {
        if (ON) {
            // the launcher passes bash's $EPOCHREALTIME just before its exec (no fork to read a clock)
            String launched = System.getenv("CONNECT_LAUNCHED");
            if (launched != null && launched.matches("\\d+[.,]\\d+")) {
                double sinceLaunch = System.currentTimeMillis() - Double.parseDouble(launched.replace(',', '.')) * 1000
                        - (System.nanoTime() - NANO_AT_FIRST_MARK) / 1e6;
                System.err.printf("(launcher's exec to first mark: %.1f ms)%n", sinceLaunch);
            } else {
                System.err.println("(process start to first mark: about " + startToFirstMark + " ms)");
            }
            MARKS.forEach(System.err::println);
        }
    }
}
