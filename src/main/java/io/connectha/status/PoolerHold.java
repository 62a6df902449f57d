package io.connectha.status;

import io.connectha.error.ConnectError;
import io.connectha.pgbouncer.PgbouncerChange;
import io.connectha.pgbouncer.PgbouncerConsole;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * PgBouncer's databases held by PAUSE for as long as the switchover needs, and released whatever happens: a pooler
 * left paused is an outage. {@link #resume()} runs in the caller's finally, and a JVM shutdown hook runs it on Ctrl-C
 * (SIGINT, SIGTERM) without waiting for a PAUSE still blocked on running transactions. A PAUSE sent just before the
 * hook's RESUME could reach PgBouncer just after it, on its own connection: the hook looks again a moment later and
 * resumes once more. A RESUME that fails is said on {@code alarms}, which -q does not silence, with the command that
 * releases the clients.
 */
final class PoolerHold implements AutoCloseable {

    /** Far more than a PAUSE written to a local socket takes to reach PgBouncer. */
    private static final Duration LATE_PAUSE = Duration.ofMillis(200);

    static final String STILL_PAUSED = "PGBOUNCER IS STILL PAUSED";

    private final PgbouncerConsole console;
    private final String address;
    private final Consumer<String> alarms;
    private final List<String> sent = new ArrayList<>();
    private final Thread hook;
    private boolean released;
    private long pausedNanos = -1;
    private long resumedNanos = -1;

    PoolerHold(PgbouncerConsole console, String address, Consumer<String> alarms) {
        this.console = console;
        this.address = address;
        this.alarms = alarms;
        this.hook = new Thread(this::interrupted, "pooler-resume");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** PAUSE {@code database}, waiting at most {@code bound} for its running transactions. */
    PgbouncerChange pause(String database, Duration bound) {
        synchronized (this) {
            if (released) {
                throw new ConnectError(ConnectError.Kind.FAILURE, "interrupted before PgBouncer was paused");
            }
            // counted before it is sent: a PAUSE that times out has still paused the database
            sent.add(database);
            if (pausedNanos < 0) {
                pausedNanos = System.nanoTime();
            }
        }
        PgbouncerChange change = console.pause(database, bound, false);
        if (change.outcome() == PgbouncerChange.Outcome.already_paused) {
            // paused by someone else since the plan was read: theirs to resume, not ours
            synchronized (this) {
                sent.remove(database);
            }
        }
        return change;
    }

    /**
     * RESUME every database PAUSE was sent for; once. Throws, after saying so on {@code alarms}, when one stays paused.
     */
    synchronized void resume() {
        if (released) {
            return;
        }
        released = true;
        List<String> failed = new ArrayList<>();
        String reason = null;
        for (String database : sent) {
            try {
                console.resume(database, false);
            } catch (RuntimeException e) {
                failed.add(database);
                reason = e.getMessage();
            }
        }
        resumedNanos = System.nanoTime();
        if (!failed.isEmpty()) {
            String message = stillPaused(address, failed, reason);
            alarms.accept(message);
            throw new ConnectError(ConnectError.Kind.FAILURE, message);
        }
    }

    /** The loud line: what is still paused, why, and the exact command that releases the clients. */
    static String stillPaused(String address, List<String> databases, String reason) {
        return STILL_PAUSED + " at " + address + " for " + String.join(", ", databases)
                + ": its clients are waiting. RESUME failed: " + reason + ". Run now: "
                + String.join(" && ", databases.stream().map(d -> "connect ha pgbouncer resume " + d).toList());
    }

    /** From the first PAUSE sent to the RESUME's answer: how long clients were held; null when nothing was paused. */
    synchronized Duration held() {
        if (pausedNanos < 0) {
            return null;
        }
        return Duration.ofNanos((resumedNanos < 0 ? System.nanoTime() : resumedNanos) - pausedNanos);
    }

    synchronized List<String> paused() {
        return List.copyOf(sent);
    }

    private void interrupted() {
        synchronized (this) {
            if (released) {
                return;
            }
            if (sent.isEmpty()) {
                released = true;
                return;
            }
        }
        try {
            resume();
            // a PAUSE still on its way when RESUME was sent: RESUME reads SHOW DATABASES first, so this one is cheap
            Thread.sleep(LATE_PAUSE.toMillis());
            for (String database : paused()) {
                console.resume(database, false);
            }
            alarms.accept("interrupted: PgBouncer at " + address + " resumed (" + String.join(", ", paused()) + ")");
        } catch (RuntimeException e) {
            if (!String.valueOf(e.getMessage()).startsWith(STILL_PAUSED)) {
                alarms.accept(stillPaused(address, paused(), e.getMessage()));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        try {
            resume();
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // the JVM is shutting down: the hook is running or has run
            }
        }
    }
}
