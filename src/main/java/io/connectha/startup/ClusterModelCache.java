package io.connectha.startup;

import io.connectha.cluster.ClusterFileLoader;
import io.connectha.cluster.ClusterSpec;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;

/**
 * The validated cluster model of a cluster file, kept between runs. Binding the YAML to records
 * costs a fresh JVM about 60 ms (Jackson's mapper and deserializers are built on first use, every
 * run): most of what a cron check spends before it measures anything. With the model kept, a run
 * reads the file, hashes it, and reads the model back.
 *
 * <p>An entry is used only when its format, the build that wrote it (the jar's hash, passed by the
 * launcher, or the jar's size and time), the cluster file's path and the SHA-256 of its bytes all
 * match; anything else, or an entry that cannot be read, counts as absent and is replaced. One entry
 * per cluster file path, written atomically with mode 0600. The model holds where secrets come from
 * (variable names, file paths), never a secret: a file with a password written inline is refused
 * before it could be kept. Checks that depend on more than the file (environment variables and
 * secret files) run on every load, cached or not.
 */
public final class ClusterModelCache implements ClusterFileLoader.KeptModels {

    private static final String FORMAT = "connect cluster model 2";
    private static final int MAX_MODEL_BYTES = 4 << 20;

    private final Path dir;
    private final String build;

    public ClusterModelCache(Path dir, String build) {
        this.dir = dir;
        this.build = build;
    }

    /**
     * The cache this process should use: in {@code $CONNECT_CACHE_DIR}, else
     * {@code $XDG_CACHE_HOME/connect}, else {@code ~/.cache/connect} (where the launcher keeps its
     * class-data caches); none with {@code CONNECT_CACHE=off}, or when the build cannot be identified.
     */
    public static Optional<ClusterModelCache> forThisProcess(Map<String, String> environment) {
        if ("off".equals(environment.get("CONNECT_CACHE")) || !StartupSwitches.on("cluster-cache")) {
            return Optional.empty();
        }
        Path dir;
        if (nonEmpty(environment.get("CONNECT_CACHE_DIR"))) {
            dir = Path.of(environment.get("CONNECT_CACHE_DIR"));
        } else if (nonEmpty(environment.get("XDG_CACHE_HOME"))) {
            dir = Path.of(environment.get("XDG_CACHE_HOME"), "connect");
        } else {
            dir = Path.of(System.getProperty("user.home"), ".cache", "connect");
        }
        return buildIdentity().map(build -> new ClusterModelCache(dir, build));
    }

    /**
     * What identifies the code that reads and writes entries: the launcher's jar hash when it passes
     * one ({@code -Dconnect.build}), else the jar's path, size and modification time. Classes run
     * from a directory (a development build) have no identity, so no cache.
     */
    static Optional<String> buildIdentity() {
        String java = System.getProperty("java.runtime.version", "");
        String launcher = System.getProperty("connect.build");
        if (nonEmpty(launcher)) {
            return Optional.of(launcher + " " + java);
        }
        try {
            var source = ClusterSpec.class.getProtectionDomain().getCodeSource();
            if (source == null) {
                return Optional.empty();
            }
            Path jar = Path.of(source.getLocation().toURI());
            BasicFileAttributes a = Files.readAttributes(jar, BasicFileAttributes.class);
            if (!a.isRegularFile()) {
                return Optional.empty();
            }
            return Optional.of(jar + " " + a.size() + " " + a.lastModifiedTime().toMillis() + " " + java);
        } catch (Exception e) {
            return Optional.empty();
        }
    }

    private static boolean nonEmpty(String s) {
        return s != null && !s.isEmpty();
    }

    /** The model kept for this file with exactly these bytes, if there is one and it reads back whole. */
    @Override
    public Optional<ClusterFileLoader.KeptModel> get(Path file, byte[] content) {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(entry(file))))) {
            if (!FORMAT.equals(in.readUTF()) || !build.equals(in.readUTF())
                    || !key(file).equals(in.readUTF()) || !sha256(content).equals(in.readUTF())) {
                return Optional.empty();
            }
            int length = in.readInt();
            if (length <= 0 || length > MAX_MODEL_BYTES) {
                return Optional.empty();
            }
            byte[] model = new byte[length];
            in.readFully(model);
            // a damaged entry could still decode, into another model: its own digest says it is whole
            if (!sha256(model).equals(in.readUTF()) || in.read() != -1) {
                return Optional.empty();
            }
            DataInputStream modelIn = new DataInputStream(new ByteArrayInputStream(model));
            return new ModelCodec().read(modelIn) instanceof ClusterFileLoader.KeptModel kept && modelIn.read() == -1
                    ? Optional.of(kept) : Optional.empty();
        } catch (IOException | RuntimeException | StackOverflowError e) {
            // absent, stale, corrupt or from another version: the file is read afresh and the entry replaced
            return Optional.empty();
        }
    }

    /** Keeps a validated model; a cache that cannot be written only costs the next run its time. */
    @Override
    public void put(Path file, byte[] content, ClusterFileLoader.KeptModel kept) {
        if (kept.spec().secrets().byName().values().stream().anyMatch(s -> s.inlinePassword() != null)) {
            return; // never reached: such a file is refused; but a password must never reach the disk
        }
        Path entry = entry(file);
        Path tmp = null;
        try {
            ByteArrayOutputStream model = new ByteArrayOutputStream();
            try (DataOutputStream out = new DataOutputStream(model)) {
                ModelCodec.write(out, kept);
            }
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (DataOutputStream out = new DataOutputStream(bytes)) {
                out.writeUTF(FORMAT);
                out.writeUTF(build);
                out.writeUTF(key(file));
                out.writeUTF(sha256(content));
                out.writeInt(model.size());
                model.writeTo(out);
                out.writeUTF(sha256(model.toByteArray()));
            }
            Files.createDirectories(dir);
            tmp = Files.createTempFile(dir, entry.getFileName().toString(), ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            try (OutputStream out = Files.newOutputStream(tmp)) {
                bytes.writeTo(out);
            }
            Files.move(tmp, entry, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // a temporary file left in the cache directory is harmless
                }
            }
        }
    }

    /** One entry per cluster file path, so that editing a file replaces its entry rather than adding one. */
    Path entry(Path file) {
        return dir.resolve("cluster-" + sha256(key(file).getBytes(java.nio.charset.StandardCharsets.UTF_8)).substring(0, 16) + ".model");
    }

    private static String key(Path file) {
        return file.toAbsolutePath().normalize().toString();
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }
}
