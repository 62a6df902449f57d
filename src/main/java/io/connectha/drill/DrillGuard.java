package io.connectha.drill;

import io.connectha.process.Progress;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Puts the cluster back when a drill ends early: on Ctrl-C (SIGINT or SIGTERM, through a shutdown hook)
 * or on an error. Each step the drill takes registers how to undo it (stop the load, start what the fault
 * stopped, drop the drill table, wait until healthy); a drill that completes has undone them itself and
 * calls {@link #completed()}. Undo steps run last registered first, once.
 */
final class DrillGuard implements AutoCloseable {

    private final Progress progress;
    private final Deque<Step> steps = new ArrayDeque<>();
    private final Thread hook;
    private boolean completed;

    private record Step(String what, Runnable action) {
    }

    DrillGuard(Progress progress) {
        this.progress = progress;
        this.hook = new Thread(this::interrupted, "drill-guard");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    synchronized void onAbort(String what, Runnable action) {
        steps.push(new Step(what, action));
    }

    /** The drill finished its own clean-up: nothing left to undo. */
    synchronized void completed() {
        completed = true;
        steps.clear();
    }

    private void interrupted() {
        progress.warn("drill interrupted: putting the cluster back");
        undo();
    }

    private synchronized void undo() {
        if (completed) {
            return;
        }
        while (!steps.isEmpty()) {
            Step s = steps.pop();
            try {
                progress.info("  " + s.what());
                s.action().run();
            } catch (RuntimeException e) {
                progress.warn("could not " + s.what() + ": " + e.getMessage());
            }
        }
        completed = true;
    }

    /** On the way out of a drill that threw: undo what is left; then drop the hook. */
    @Override
    public void close() {
        undo();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is shutting down: the hook is running or has run
        }
    }
}
