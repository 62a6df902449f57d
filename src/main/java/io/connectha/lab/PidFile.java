package io.connectha.lab;

import io.connectha.process.ProcessController;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A lab process's pid, kept in {@code run/NAME.pid}. A pid only counts as ours when the process
 * is alive and its command line names the lab directory: after a crash or reboot the number may
 * belong to something else.
 */
public record PidFile(String name, long pid) {

    public static Optional<PidFile> read(Path file) {
        try {
            String text = Files.readString(file).strip();
            String name = file.getFileName().toString().replaceFirst("\\.pid$", "");
            return Optional.of(new PidFile(name, Long.parseLong(text.split("\\s+")[0])));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    public void write(Path dir) throws IOException {
        Files.createDirectories(dir);
        io.connectha.config.ConfigFileWriter.writeAtomically(dir.resolve(name + ".pid"), pid + "\n",
                java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
    }

    public boolean isOurs(Path labDir) {
        return belongsTo(pid, labDir);
    }

    /** True when the process is alive and its command line mentions the lab directory. */
    public static boolean belongsTo(long pid, Path labDir) {
        if (!ProcessController.isAlive(pid)) {
            return false;
        }
        // DIR/ and not DIR: /tmp/lab must not claim the processes of /tmp/lab-2
        return commandLine(pid).map(cmd -> cmd.contains(labDir + "/")).orElse(false);
    }

    private static String comm(long pid) {
        try {
            return Files.readString(Path.of("/proc", Long.toString(pid), "comm")).strip();
        } catch (IOException e) {
            return "";
        }
    }

    /** /proc/PID/cmdline, arguments joined by spaces. */
    public static Optional<String> commandLine(long pid) {
        try {
            byte[] raw = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"));
            return Optional.of(new String(raw).replace('\0', ' ').strip());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static final java.util.Set<String> STACK_PROGRAMS = java.util.Set.of("postgres", "patroni", "etcd", "haproxy",
            "pgbouncer", "pg_basebackup", "pg_rewind", "python3");

    /**
     * Live stack programs whose command line mentions the directory: what a lost pid file would
     * leave behind. Only the stack's own programs: never an operator's {@code less} on a log.
     */
    public static List<Long> orphansOf(Path labDir) {
        try (var procs = Files.list(Path.of("/proc"))) {
            long self = ProcessHandle.current().pid();
            return procs.map(p -> p.getFileName().toString()).filter(n -> n.chars().allMatch(Character::isDigit))
                    .map(Long::parseLong).filter(pid -> pid != self)
                    .filter(pid -> STACK_PROGRAMS.contains(comm(pid)))
                    .filter(pid -> commandLine(pid).map(c -> c.contains(labDir + "/")).orElse(false))
                    .toList();
        } catch (IOException e) {
            return List.of();
        }
    }
}
