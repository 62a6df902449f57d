package io.connectha.support;

import io.connectha.process.ProcessController;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A scratch directory the postgres OS user can reach (JUnit's @TempDir is 0700 root), and the
 * processes a test started there, all stopped by {@link #close()} whatever happened.
 */
public final class Scratch implements AutoCloseable {

    private final Path root;
    private final ProcessController processes = new ProcessController();
    private final List<ProcessController.Started> started = new ArrayList<>();

    public Scratch(String prefix) throws IOException {
        root = Files.createTempDirectory(Path.of("/tmp"), prefix);
        Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    public Path root() {
        return root;
    }

    public Path dir(String name) throws IOException {
        Path d = Files.createDirectories(root.resolve(name));
        Files.setPosixFilePermissions(d, PosixFilePermissions.fromString("rwxr-xr-x"));
        return d;
    }

    public Path log(String name) {
        return root.resolve("logs").resolve(name + ".log");
    }

    public ProcessController processes() {
        return processes;
    }

    public ProcessController.Started start(ProcessController.ProcessSpec spec) {
        ProcessController.Started s = processes.start(spec);
        started.add(s);
        return s;
    }

    public ProcessController.Result run(String name, boolean asPostgres, String... command) {
        return processes.run(ProcessController.ProcessSpec.of(name, log(name), asPostgres, command), Duration.ofSeconds(120));
    }

    /** Gives a path to the postgres user, recursively, when we are root. */
    public void giveToPostgres(Path path) {
        if (ProcessController.isRoot()) {
            ProcessController.Result r = run("chown", false, "chown", "-R", "postgres:postgres", path.toString());
            if (!r.ok()) {
                throw new IllegalStateException("chown failed: " + r.output());
            }
        }
    }

    public String tail(String name) {
        try {
            List<String> lines = Files.readAllLines(log(name));
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    @Override
    public void close() throws IOException {
        for (int i = started.size() - 1; i >= 0; i--) {
            ProcessController.stop(started.get(i).pid(), Duration.ofSeconds(10));
        }
        if (Boolean.getBoolean("connect.test.keep")) {
            System.err.println("kept for inspection: " + root);
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
