package io.connectha.drill;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * What Patroni's log says it did to bring a former leader back, from the lines it wrote after the
 * node was started again (Patroni 3.0's wording, patroni/postgresql/rewind.py and ha.py).
 *
 * @param crashRecovery        "doing crash recovery in a single user mode": the postmaster had been killed
 * @param rewindRan            "pg_rewind exit code=N" was logged: pg_rewind ran
 * @param rewindExitCode       that N; null when pg_rewind did not run or Patroni cancelled it ("None")
 * @param divergedAt           "servers diverged at WAL location X on timeline T": X, as pg_rewind printed it
 * @param dataDirectoryRemoved the rewind failed and Patroni removed the data directory to clone it again
 */
public record RewindEvidence(boolean crashRecovery, boolean rewindRan, Integer rewindExitCode, String divergedAt,
                             boolean dataDirectoryRemoved) {

    public static final RewindEvidence NONE = new RewindEvidence(false, false, null, null, false);

    /** Reads the log from {@code offset} (its size before the start) and parses what follows. */
    static RewindEvidence scan(Path log, long offset) {
        try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "r")) {
            long length = f.length();
            if (length <= offset) {
                return NONE;
            }
            byte[] bytes = new byte[(int) Math.min(length - offset, 64L << 20)];
            f.seek(offset);
            f.readFully(bytes);
            return parse(new String(bytes, StandardCharsets.UTF_8).lines().toList());
        } catch (IOException e) {
            return NONE;
        }
    }

    static RewindEvidence parse(List<String> lines) {
        boolean crash = false;
        boolean ran = false;
        Integer exit = null;
        String diverged = null;
        boolean removed = false;
        for (String line : lines) {
            if (line.contains("doing crash recovery in a single user mode")) {
                crash = true;
            }
            int code = line.indexOf("pg_rewind exit code=");
            if (code >= 0) {
                String n = line.substring(code + "pg_rewind exit code=".length()).strip();
                ran = true;
                // "None" when Patroni cancelled it
                exit = !n.isEmpty() && n.chars().allMatch(Character::isDigit) ? Integer.valueOf(n) : null;
            }
            int at = line.indexOf("servers diverged at WAL location ");
            if (at >= 0) {
                String rest = line.substring(at + "servers diverged at WAL location ".length()).strip();
                int space = rest.indexOf(' ');
                diverged = space < 0 ? rest : rest.substring(0, space);
            }
            if (line.contains("remove_data_directory_on_rewind_failure is set. removing")
                    || line.contains("remove_data_directory_on_diverged_timelines is set. removing")) {
                removed = true;
            }
        }
        return new RewindEvidence(crash, ran, exit, diverged, removed);
    }
}
