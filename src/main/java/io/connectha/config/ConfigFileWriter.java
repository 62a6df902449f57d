package io.connectha.config;

import io.connectha.error.ConnectError;

import java.io.IOException;
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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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

    /** Mode of a directory that holds, at any depth, a file others must not read (a secret, a script, a private config). */
    public static final Set<PosixFilePermission> PRIVATE_DIRECTORY = PosixFilePermissions.fromString("rwx------");
    /** Mode of a directory of plain configuration only. */
    public static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwxr-xr-x");

    /**
     * Applies every change of a plan; returns them with their backup paths. Directories that do
     * not exist yet are created with an explicit mode, whatever the umask: 0700 when they hold (at
     * any depth) a file that is not 0644, else 0755. Directories that exist are left as they are.
     */
    public List<FileChange> applyAll(Path outDir, List<FileChange> changes) {
        Map<Path, Set<PosixFilePermission>> modes = directoryModes(outDir, changes);
        List<FileChange> done = new ArrayList<>();
        for (FileChange change : changes) {
            done.add(apply(outDir, change, modes));
        }
        return done;
    }

    /** Every directory from {@code outDir} down to each file's, with the mode it is created with. */
    static Map<Path, Set<PosixFilePermission>> directoryModes(Path outDir, List<FileChange> changes) {
        Map<Path, Set<PosixFilePermission>> modes = new LinkedHashMap<>();
        for (FileChange change : changes) {
            boolean hidden = change.file().kind() != GeneratedFile.Kind.CONFIG;
            for (Path dir = outDir.resolve(change.path()).getParent(); dir != null; dir = dir.getParent()) {
                modes.merge(dir, hidden ? PRIVATE_DIRECTORY : DIRECTORY, (a, b) -> a.equals(PRIVATE_DIRECTORY) ? a : b);
                if (dir.equals(outDir)) {
                    break;
                }
            }
        }
        return modes;
    }

    private FileChange apply(Path outDir, FileChange change, Map<Path, Set<PosixFilePermission>> modes) {
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
            createDirectories(outDir, target.getParent(), modes);
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
        } catch (DirectoryProblem e) {
            throw e.error;
        } catch (IOException e) {
            throw ConnectError.io("write", target, e);
        }
    }

    /** A directory that cannot be made, named as such rather than as the file that was to go in it. */
    private static final class DirectoryProblem extends IOException {
        final ConnectError error;

        DirectoryProblem(ConnectError error) {
            this.error = error;
        }
    }

    /**
     * Refuses, before anything is written, what the write would fail on: a file where a directory
     * must be, a directory where a file must be, a directory this user cannot write in. A dry run
     * checks the same and fails with the same line, rather than promising what cannot be done.
     */
    public static void checkWritable(Path outDir, List<GeneratedFile> files) {
        java.util.Set<Path> checked = new java.util.HashSet<>();
        for (GeneratedFile file : files) {
            Path target = outDir.resolve(file.path());
            if (Files.exists(target) && !Files.isRegularFile(target)) {
                throw new ConnectError(ConnectError.Kind.FAILURE, "cannot write " + target + ": "
                        + (Files.isDirectory(target) ? "is a directory" : "not a regular file"));
            }
            Path dir = target.getParent();
            while (dir != null && !Files.isDirectory(dir)) {
                if (Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    throw new ConnectError(ConnectError.Kind.FAILURE,
                            "cannot create directory " + dir + ": a file of that name exists and is not a directory");
                }
                dir = dir.getParent();
            }
            Path existing = dir == null ? Path.of("").toAbsolutePath() : dir;
            if (checked.add(existing) && !Files.isWritable(existing)) {
                throw new ConnectError(ConnectError.Kind.FAILURE, "cannot write " + target + ": permission denied ("
                        + existing + " is not writable)");
            }
        }
    }

    /** Creates the missing directories top-down, each created already with its mode, then set to it explicitly. */
    private static void createDirectories(Path outDir, Path dir, Map<Path, Set<PosixFilePermission>> modes) throws IOException {
        List<Path> missing = new ArrayList<>();
        for (Path d = dir; d != null && !Files.isDirectory(d); d = d.getParent()) {
            missing.add(0, d);
        }
        for (Path d : missing) {
            if (Files.exists(d, java.nio.file.LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(d)) {
                throw new DirectoryProblem(new ConnectError(ConnectError.Kind.FAILURE,
                        "cannot create directory " + d + ": a file of that name exists and is not a directory"));
            }
            Set<PosixFilePermission> mode = modes.getOrDefault(d, PRIVATE_DIRECTORY);
            try {
                Files.createDirectory(d, PosixFilePermissions.asFileAttribute(mode));
                // the umask may have taken bits away (a 0755 under umask 077): the mode is set, not left to it
                Files.setPosixFilePermissions(d, mode);
            } catch (IOException e) {
                throw new DirectoryProblem(ConnectError.io("create directory", d, e));
            }
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
