package io.connectha.drill;

import io.connectha.cluster.Problem;
import io.connectha.error.ConnectError;
import io.connectha.status.ClusterStatus;
import io.connectha.status.FleetStatus;
import io.connectha.status.StatusService;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What {@code connect ha status} says while a held fault lasts: asked once, from the operator's side, in a thread of its
 * own so that the drill's sampling goes on, with status's own deadline. The drill waits for it at most that deadline
 * (and a little) after the fault is over.
 */
public final class FaultStatusWatch {

    private final Thread thread;
    private final Duration deadline;
    private volatile DrillReport.StatusDuringFault result;

    /**
     * @param delay   from the fault to the question; skipped when the fault is restored by then
     * @param targets the fault's target names, and other names status may give them (an etcd member's client URL): a problem
     *                naming one of them names the target
     */
    FaultStatusWatch(StatusService status, Duration deadline, long faultNanos, Duration delay, FaultHold hold, List<String> targets) {
        this.deadline = deadline;
        this.thread = new Thread(() -> {
            // rounded up, so that it is asked no earlier than said
            long wait = (faultNanos + delay.toNanos() - System.nanoTime() + 999_999) / 1_000_000;
            try {
                if (wait > 0) {
                    Thread.sleep(wait);
                }
            } catch (InterruptedException e) {
                return;
            }
            if (hold.restored()) {
                return;
            }
            long asked = System.nanoTime();
            int code;
            List<String> problems;
            boolean names;
            try {
                ClusterStatus s = status.check();
                code = exitCode(FleetStatus.Verdict.of(s));
                problems = s.problems().stream().map(Problem::code).toList();
                names = namesTarget(s.problems(), targets);
            } catch (ConnectError e) {
                code = 1;
                problems = List.of();
                names = false;
            }
            long done = System.nanoTime();
            result = new DrillReport.StatusDuringFault(code, Duration.ofMillis(Drills.ms(asked - faultNanos)),
                    Duration.ofMillis(Drills.ms(done - asked)), deadline, problems, names);
        }, "drill-status");
        thread.setDaemon(true);
        thread.start();
    }

    /** What status said; null when it was not asked (the fault was over first) or had not answered within its deadline. */
    DrillReport.StatusDuringFault result() {
        try {
            thread.join(deadline.toMillis() + 2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return result;
    }

    /**
     * The exit code {@code connect ha status} gives this verdict (docs/status.md: 0 healthy, 4 problems, 5 something did not
     * answer, 6 credentials refused); the command layer's ExitCodes is above the drill, and a test holds the two together.
     */
    public static int exitCode(FleetStatus.Verdict verdict) {
        return switch (verdict) {
            case healthy -> 0;
            case degraded -> 4;
            case unreachable, timeout -> 5;
            case auth_failed -> 6;
            case cluster_file_invalid -> 2;
            case failure -> 1;
        };
    }

    /** A problem names a target: its member is one, or its message has one as a word. */
    static boolean namesTarget(List<Problem> problems, List<String> targets) {
        Set<String> names = Set.copyOf(targets);
        return problems.stream().anyMatch(p -> (p.member() != null && names.contains(p.member())) || targets.stream().anyMatch(
                t -> Pattern.compile("(?<![\\w-])" + Pattern.quote(t) + "(?![\\w-])").matcher(p.message()).find()));
    }
}
