package io.connectha.monitor;

import io.connectha.error.ConnectError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * Where events go: one JSON line each to stdout or to an events file (appended, flushed per line), and
 * to the operator's {@code --on-event} command. Lines are written on a thread of their own and hooks run
 * on another, one at a time, each bounded by its timeout, so a slow disk or a hung hook never holds up
 * gathering, the probe or a scrape; a hook that fails or hangs is logged and the monitor goes on.
 */
final class EventOutput implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EventOutput.class);
    private static final Event STOP = Event.of(java.time.Instant.EPOCH, EventType.monitor_stopping, "", "", "");
    /** Events beyond this many waiting are dropped (and counted): memory stays bounded whatever a hook does. */
    private static final int QUEUE = 10_000;

    /**
     * @param hook    {@code sh -c} command run per event; null for none
     * @param timeout how long a hook may run before it is killed
     */
    record Options(Path eventsFile, String hook, Duration timeout) {
    }

    private final Function<Event, String> json;
    private final Options options;
    private final PrintWriter lines;
    private final boolean ownLines;
    private final BlockingQueue<Event> toWrite = new LinkedBlockingQueue<>(QUEUE);
    private final BlockingQueue<Event> toRun = new LinkedBlockingQueue<>(QUEUE);
    private final Thread writer;
    private final Thread runner;
    private final AtomicLong hookFailures = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();

    EventOutput(Function<Event, String> json, Options options, PrintWriter stdout) {
        this.json = json;
        this.options = options;
        if (options.eventsFile() != null) {
            this.lines = new PrintWriter(new java.io.OutputStreamWriter(open(options.eventsFile()), StandardCharsets.UTF_8), false);
            this.ownLines = true;
        } else {
            this.lines = stdout;
            this.ownLines = false;
        }
        this.writer = new Thread(this::write, "events");
        this.writer.setDaemon(true);
        this.runner = new Thread(this::runHooks, "on-event");
        this.runner.setDaemon(true);
    }

    /** Appends to the file, made 0640 when new whatever the umask: events name hosts and members, not secrets. */
    static OutputStream open(Path file) {
        try {
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
            if (!Files.exists(file)) {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r-----")));
            }
            return Files.newOutputStream(file, StandardOpenOption.APPEND, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw ConnectError.invalidInput("--events-file: cannot append to " + file + ": " + e.getMessage());
        }
    }

    void start() {
        writer.start();
        if (options.hook() != null) {
            runner.start();
        }
    }

    void emit(Event e) {
        if (!toWrite.offer(e)) {
            dropped.incrementAndGet();
        }
        if (options.hook() != null && !toRun.offer(e)) {
            dropped.incrementAndGet();
        }
    }

    long hookFailures() {
        return hookFailures.get();
    }

    long dropped() {
        return dropped.get();
    }

    private void write() {
        try {
            while (true) {
                Event e = toWrite.take();
                if (e == STOP) {
                    return;
                }
                lines.println(json.apply(e));
                lines.flush();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void runHooks() {
        try {
            while (true) {
                Event e = toRun.take();
                if (e == STOP) {
                    return;
                }
                run(e);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run(Event e) {
        String line = json.apply(e);
        ProcessBuilder pb = new ProcessBuilder(List.of("sh", "-c", options.hook()));
        Map<String, String> env = pb.environment();
        env.put("CONNECT_EVENT_TYPE", e.type().name());
        env.put("CONNECT_EVENT_CLUSTER", e.cluster());
        env.put("CONNECT_EVENT_MEMBER", e.member() == null ? "" : e.member());
        env.put("CONNECT_EVENT_TS", String.valueOf(e.at().toEpochMilli()));
        env.put("CONNECT_EVENT_MESSAGE", e.message() == null ? "" : e.message());
        env.put("CONNECT_EVENT_JSON", line);
        // the hook's own output goes to our log (stderr), never to stdout, where the event lines are
        pb.redirectErrorStream(true);
        Process p;
        try {
            p = pb.start();
        } catch (IOException ex) {
            hookFailures.incrementAndGet();
            LOG.warn("--on-event: cannot start the command: {}", ex.getMessage());
            return;
        }
        Thread drain = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String out;
                while ((out = r.readLine()) != null) {
                    LOG.info("--on-event ({}): {}", e.type(), out);
                }
            } catch (IOException ignored) {
                // the command was killed: its output ends there
            }
        }, "on-event-output");
        drain.setDaemon(true);
        drain.start();
        try (OutputStream stdin = p.getOutputStream()) {
            stdin.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException ex) {
            // a command that does not read its stdin closes it: not a failure
        }
        try {
            if (!p.waitFor(options.timeout().toMillis(), TimeUnit.MILLISECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                hookFailures.incrementAndGet();
                LOG.warn("--on-event: the command did not finish within {} ms for {}; killed", options.timeout().toMillis(), e.type());
            } else if (p.exitValue() != 0) {
                hookFailures.incrementAndGet();
                LOG.warn("--on-event: the command exited {} for {}", p.exitValue(), e.type());
            }
        } catch (InterruptedException ex) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** Writes what is queued, gives the hooks until {@code wait} to finish, then stops. */
    @Override
    public void close() {
        close(Duration.ofMillis(500));
    }

    void close(Duration wait) {
        toWrite.offer(STOP);
        toRun.clear();
        toRun.offer(STOP);
        try {
            writer.join(wait.toMillis());
            if (runner.isAlive()) {
                runner.join(wait.toMillis());
                runner.interrupt();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        lines.flush();
        if (ownLines) {
            lines.close();
        }
    }
}
