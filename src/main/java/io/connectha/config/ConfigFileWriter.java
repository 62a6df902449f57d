package io.connectha.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Set;

/**
 * Writes files atomically: a temporary file in the same directory, created with its final mode
 * (a secret is never readable by others, not even for a moment), synced, then renamed over the
 * target. A previous file whose content differs is kept as {@code NAME.bak-YYYYMMDD-HHMMSS}.
 */
public final class ConfigFileWriter {

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");
    private final Clock clock;

    public ConfigFileWriter(Clock clock) {
        this.clock = clock;
    }

    public ConfigFileWriter() {
        this(Clock.systemDefaultZone());
    }

    /** Applies one change; returns it with the backup path when one was made. */
    public FileChange apply(Path outDir, FileChange change) {
        if (!change.changes()) {
            return change;
        }
        Path target = outDir.resolve(change.path());
        Set<PosixFilePermission> perms = PosixFilePermissions.fromString(change.file().kind().permissions());
        try {
            if (change.action() == FileChange.Action.chmod) {
                Files.setPosixFilePermissions(target, perms);
                return change;
            }
            Files.createDirectories(target.getParent());
            Path backup = null;
            if (change.action() == FileChange.Action.update) {
                String stamp = target.getFileName() + ".bak-" + LocalDateTime.now(clock).format(STAMP);
                backup = target.resolveSibling(stamp);
                for (int n = 1; Files.exists(backup); n++) {
                    backup = target.resolveSibling(stamp + "-" + n);
                }
                Files.copy(target, backup, StandardCopyOption.COPY_ATTRIBUTES, StandardCopyOption.REPLACE_EXISTING);
            }
            writeAtomically(target, change.file().content(), perms);
            return change.withBackup(backup == null ? null : outDir.relativize(backup));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
        }
    }

    public static void writeAtomically(Path target, String content, Set<PosixFilePermission> perms) throws IOException {
        Path tmp = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".tmp",
                PosixFilePermissions.asFileAttribute(perms));
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ch.write(java.nio.ByteBuffer.wrap(content.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
                ch.force(true);
            }
            Files.setPosixFilePermissions(tmp, perms);
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            // the rename itself survives a crash only once the directory is synced
            try (FileChannel dir = FileChannel.open(target.getParent(), StandardOpenOption.READ)) {
                dir.force(true);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
