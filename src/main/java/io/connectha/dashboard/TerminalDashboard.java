package io.connectha.dashboard;

import io.connectha.dashboard.DashboardModel.Level;
import io.connectha.units.Units;
import io.connectha.status.ClusterStatus;
import org.jline.terminal.Attributes;
import org.jline.terminal.Size;
import org.jline.terminal.Terminal;
import org.jline.utils.AttributedString;
import org.jline.utils.Display;
import org.jline.utils.InfoCmp.Capability;
import org.jline.utils.NonBlockingReader;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * The full-screen loop: a background thread polls the cluster into the model, the main thread reads
 * keys and redraws through jline's Display (which writes only the lines that changed), and the
 * terminal is put back as it was on q, on Ctrl-C, on an error and on SIGTERM.
 */
public final class TerminalDashboard {

    private static final Duration MIN_INTERVAL = Duration.ofMillis(500);
    private static final Duration MAX_INTERVAL = Duration.ofSeconds(60);
    /** How long a key read waits: the clock and the "last seen" ages are redrawn at most this late. */
    private static final long KEY_WAIT_MS = 250;
    private static final int CTRL_C = 3;

    private final Terminal terminal;
    private final Supplier<ClusterStatus> poll;
    private final DashboardActions actions;
    private final DashboardModel model;
    private final Clock clock;

    private final Object wake = new Object();
    private final AtomicBoolean quit = new AtomicBoolean();
    private final AtomicBoolean dirty = new AtomicBoolean(true);
    private final AtomicBoolean restored = new AtomicBoolean();
    private final AtomicBoolean busy = new AtomicBoolean();
    private volatile ViewState view;
    private volatile Runnable confirmed;
    private final ExecutorService actionRunner = Executors.newSingleThreadExecutor(r -> daemon(r, "dashboard-action"));

    public TerminalDashboard(Terminal terminal, Supplier<ClusterStatus> poll, DashboardActions actions, DashboardModel model,
                             ViewState initial, Clock clock) {
        this.terminal = terminal;
        this.poll = poll;
        this.actions = actions;
        this.model = model;
        this.view = initial;
        this.clock = clock;
    }

    public void run() throws IOException {
        Attributes saved = terminal.enterRawMode();
        Thread restoreOnTerm = new Thread(() -> restore(saved), "dashboard-restore");
        Runtime.getRuntime().addShutdownHook(restoreOnTerm);
        terminal.handle(Terminal.Signal.INT, s -> requestQuit());
        terminal.handle(Terminal.Signal.WINCH, s -> dirty.set(true));
        terminal.puts(Capability.enter_ca_mode);
        terminal.puts(Capability.cursor_invisible);
        terminal.puts(Capability.clear_screen);
        terminal.flush();
        Thread poller = daemon(this::pollLoop, "dashboard-poll");
        poller.start();
        try {
            Display display = new Display(terminal, true);
            Size size = null;
            long drawnSecond = -1;
            NonBlockingReader reader = terminal.reader();
            while (!quit.get()) {
                Instant now = clock.instant();
                Size current = terminal.getSize();
                if (!current.equals(size)) {
                    size = current;
                    display.clear();
                    display.resize(size.getRows(), size.getColumns());
                    terminal.puts(Capability.clear_screen);
                    dirty.set(true);
                }
                // the header clock and the "last seen" ages move every second even when nothing else does
                if (dirty.getAndSet(false) || now.getEpochSecond() != drawnSecond) {
                    drawnSecond = now.getEpochSecond();
                    List<AttributedString> lines = DashboardScreen.render(model, view, size.getColumns(), size.getRows(), now);
                    display.update(lines, size.cursorPos(size.getRows() - 1, 0));
                }
                int c = reader.read(KEY_WAIT_MS);
                if (c == NonBlockingReader.EOF) {
                    break;
                }
                if (c >= 0) {
                    key(c);
                    dirty.set(true);
                }
            }
        } finally {
            quit.set(true);
            poller.interrupt();
            actionRunner.shutdownNow();
            restore(saved);
            try {
                Runtime.getRuntime().removeShutdownHook(restoreOnTerm);
            } catch (IllegalStateException e) {
                // already shutting down (SIGTERM): the hook restores the terminal itself
            }
        }
    }

    ViewState view() {
        return view;
    }

    boolean quitRequested() {
        return quit.get();
    }

    /** The key thread and the action thread both change the view: one at a time, so that neither change is lost. */
    private synchronized void update(java.util.function.UnaryOperator<ViewState> change) {
        view = change.apply(view);
        dirty.set(true);
    }

    private void requestQuit() {
        quit.set(true);
        synchronized (wake) {
            wake.notifyAll();
        }
    }

    /** Once only, whichever comes first: the finally block or the shutdown hook. */
    private void restore(Attributes saved) {
        if (!restored.compareAndSet(false, true)) {
            return;
        }
        terminal.puts(Capability.cursor_visible);
        terminal.puts(Capability.exit_ca_mode);
        terminal.setAttributes(saved);
        terminal.flush();
    }

    // ------------------------------------------------------------------ keys

    void key(int c) {
        if (view.prompt() != null) {
            Runnable action = confirmed;
            confirmed = null;
            update(v -> v.withPrompt(null));
            if ((c == 'y' || c == 'Y') && action != null) {
                action.run();
            } else {
                update(v -> v.withMessage("Cancelled."));
            }
            return;
        }
        if (view.help()) {
            update(v -> v.withHelp(false));
            if (c != 'q') {
                return;
            }
        }
        switch (c) {
            case 'q', 'Q', CTRL_C -> requestQuit();
            case '?', 'h' -> update(v -> v.withHelp(true));
            case ' ' -> {
                update(v -> v.withRefreshPaused(!v.refreshPaused()));
                wakePoller();
            }
            case '\t' -> update(v -> v.withFocus(v.focus().next()));
            case '+', '=' -> changeInterval(true);
            case '-', '_' -> changeInterval(false);
            case 's', 'S' -> planSwitchover();
            case 'p', 'P' -> askPause();
            default -> {
                // any other key only redraws
            }
        }
    }

    private void changeInterval(boolean slower) {
        Duration d = view.interval();
        Duration next = slower ? (d.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : d.multipliedBy(2))
                : (d.compareTo(Duration.ofSeconds(1)) <= 0 ? MIN_INTERVAL : d.dividedBy(2));
        if (next.compareTo(MIN_INTERVAL) < 0) {
            next = MIN_INTERVAL;
        }
        if (next.compareTo(MAX_INTERVAL) > 0) {
            next = MAX_INTERVAL;
        }
        Duration chosen = next;
        update(v -> v.withInterval(chosen).withMessage("Refreshing every " + Units.humanDuration(chosen) + "."));
        wakePoller();
    }

    private void planSwitchover() {
        if (!busy.compareAndSet(false, true)) {
            update(v -> v.withMessage("An action is still running."));
            return;
        }
        update(v -> v.withMessage("Checking whether a switchover is safe..."));
        actionRunner.submit(() -> {
            try {
                DashboardActions.SwitchoverPlan plan = actions.planSwitchover();
                confirmed = () -> run("Switching over from " + plan.leader() + " to " + plan.candidate() + "...", () -> {
                    Duration took = actions.switchover(plan);
                    return "Switchover done: " + plan.candidate() + " leads (" + Units.humanDuration(took) + ").";
                });
                update(v -> v.withMessage(null).withPrompt("Switch over from " + plan.leader() + " to " + plan.candidate() + " now?"));
            } catch (RuntimeException e) {
                update(v -> v.withMessage("No switchover: " + e.getMessage()));
            } finally {
                busy.set(false);
                dirty.set(true);
            }
        });
    }

    private void askPause() {
        ClusterStatus s = model.latest();
        if (s == null) {
            update(v -> v.withMessage("No answer from the cluster yet."));
            return;
        }
        boolean pause = !s.paused();
        confirmed = () -> run(pause ? "Pausing Patroni..." : "Resuming Patroni...", () -> {
            actions.pausePatroni(pause);
            return pause ? "Patroni paused: maintenance mode on, no automatic failover." : "Patroni resumed: it manages the cluster again.";
        });
        update(v -> v.withPrompt(pause ? "Pause Patroni (maintenance mode: no automatic failover)?" : "Resume Patroni (automatic failover again)?"));
    }

    /** Runs a confirmed action in the background, so that the screen keeps refreshing while it waits. */
    private void run(String starting, Supplier<String> action) {
        if (!busy.compareAndSet(false, true)) {
            update(v -> v.withMessage("An action is still running."));
            return;
        }
        update(v -> v.withMessage(starting));
        model.note(clock.instant(), Level.WARN, starting);
        actionRunner.submit(() -> {
            try {
                String done = action.get();
                update(v -> v.withMessage(done));
                model.note(clock.instant(), Level.OK, done);
            } catch (RuntimeException e) {
                update(v -> v.withMessage("Failed: " + e.getMessage()));
                model.note(clock.instant(), Level.CRITICAL, "failed: " + e.getMessage());
            } finally {
                busy.set(false);
                dirty.set(true);
                wakePoller();
            }
        });
    }

    // ------------------------------------------------------------------ polling

    private void pollLoop() {
        while (!quit.get()) {
            long started = System.nanoTime();
            if (!view.refreshPaused()) {
                try {
                    ClusterStatus s = poll.get();
                    model.accept(s, clock.instant());
                } catch (RuntimeException e) {
                    // the model keeps the last snapshot, whose age the header then shows
                    update(v -> v.withMessage("Refresh failed: " + e));
                }
                dirty.set(true);
            }
            long waitMs = view.interval().toMillis() - (System.nanoTime() - started) / 1_000_000;
            synchronized (wake) {
                try {
                    if (!quit.get()) {
                        wake.wait(Math.max(1, waitMs));
                    }
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    private void wakePoller() {
        synchronized (wake) {
            wake.notifyAll();
        }
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }
}
