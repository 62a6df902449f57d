package io.connectha.cluster;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.connectha.error.ConnectError;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The contexts file, {@code contexts.yaml} in connect's config directory ({@code $XDG_CONFIG_HOME/connect},
 * else {@code ~/.config/connect}): names for cluster files, and which one is current.
 *
 * <pre>
 * current: prod
 * contexts:
 *   - name: prod
 *     cluster_file: "/etc/connect/prod.yaml"
 * </pre>
 *
 * Every change reads the file, changes it and writes it back under a lock (two commands at once do not
 * lose each other's change), atomically (a rename: a reader sees the old file or the new one), with
 * mode 0600 in a directory made 0700, and keeps the version it replaces as {@code contexts.yaml.bak}.
 * A file that cannot be read is an error with its line and column, as a cluster file's is.
 *
 * <p>Used by {@code connect ha context ...}, by {@code --context}, and by {@code discover --context}
 * to register the file it wrote: {@code ContextStore.open(dir).add(name, file, false)}.
 */
public final class ContextStore {

    public static final String FILE_NAME = "contexts.yaml";
    /** Far above any real contexts file, far below what would exhaust the heap. */
    static final long MAX_BYTES = 1024 * 1024;
    private static final int MAX_NAME = 63;

    private final Path dir;

    private ContextStore(Path dir) {
        this.dir = dir;
    }

    /** The store in {@code configDir} (the directory that holds {@code contexts.yaml}). */
    public static ContextStore open(Path configDir) {
        return new ContextStore(configDir.toAbsolutePath());
    }

    /** The store in the default directory for this environment ({@link #defaultDir}). */
    public static ContextStore openDefault(Map<String, String> environment) {
        return open(defaultDir(environment));
    }

    /**
     * {@code $XDG_CONFIG_HOME/connect}, else {@code $HOME/.config/connect} (the JVM's home when HOME is unset).
     * A relative XDG_CONFIG_HOME is ignored, as the XDG base directory specification says.
     */
    public static Path defaultDir(Map<String, String> environment) {
        String xdg = environment.get("XDG_CONFIG_HOME");
        if (xdg != null && xdg.startsWith("/")) {
            return Path.of(xdg, "connect");
        }
        String home = environment.get("HOME");
        return Path.of(home != null && home.startsWith("/") ? home : System.getProperty("user.home"), ".config", "connect");
    }

    public Path dir() {
        return dir;
    }

    public Path file() {
        return dir.resolve(FILE_NAME);
    }

    /** What a change did: the contexts before and after, and whether the file was written (not on a dry run, nor when nothing changed). */
    public record Change(ClusterContexts before, ClusterContexts after, boolean written) {
        public boolean changed() {
            return !before.equals(after);
        }
    }

    /** The contexts; none when there is no file. */
    public ClusterContexts read() {
        Path file = file();
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(file, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            return ClusterContexts.EMPTY;
        } catch (IOException e) {
            throw ConnectError.io("read", file, e);
        }
        if (!attributes.isRegularFile()) {
            throw ConnectError.invalidInput(file + ": is not a regular file, so not a contexts file");
        }
        if (attributes.size() > MAX_BYTES) {
            throw ConnectError.invalidInput(file + ": is " + attributes.size() + " bytes; a contexts file is at most " + MAX_BYTES + " bytes (1 MiB)");
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw ConnectError.io("read", file, e);
        }
        String text;
        try {
            text = ClusterFileLoader.decodeUtf8(file, bytes);
        } catch (ClusterFileException e) {
            throw ConnectError.invalidInput(e.getMessage().replace("a cluster file is YAML", "a contexts file is YAML"));
        }
        return parse(file, text);
    }

    /**
     * Names {@code clusterFile} {@code name}, and makes it current when {@code use}. Adding the same name
     * for the same file again changes nothing; for another file it is refused unless {@code replace}.
     * The caller checks that the cluster file loads (the store knows nothing of cluster files).
     *
     * @param clusterFile an absolute path
     */
    public Change add(String name, Path clusterFile, boolean use, boolean replace, boolean dryRun) {
        checkName(name);
        if (!clusterFile.isAbsolute()) {
            throw ConnectError.invalidInput("the cluster file of a context must be an absolute path, not '" + clusterFile + "'");
        }
        Path file = clusterFile.normalize();
        return change(dryRun, before -> {
            before.find(name).ifPresent(existing -> {
                if (!existing.clusterFile().equals(file) && !replace) {
                    throw ConnectError.invalidInput("context '" + name + "' already names " + existing.clusterFile()
                            + "; give --force to point it at " + file);
                }
            });
            ClusterContexts after = before.with(name, file);
            return use ? after.withCurrent(name) : after;
        });
    }

    /** {@link #add(String, Path, boolean, boolean, boolean)} without replacing and for real: what {@code discover --context} calls. */
    public Change add(String name, Path clusterFile, boolean use) {
        return add(name, clusterFile, use, false, false);
    }

    /** Makes {@code name} current. */
    public Change use(String name, boolean dryRun) {
        return change(dryRun, before -> {
            if (before.find(name).isEmpty()) {
                throw new UnknownContextException(name, before.names(), null);
            }
            return before.withCurrent(name);
        });
    }

    /** Removes {@code name} (nothing changes when there is no such context); removing the current context leaves none current. */
    public Change remove(String name, boolean dryRun) {
        return change(dryRun, before -> before.without(name));
    }

    private interface Edit {
        ClusterContexts apply(ClusterContexts before);
    }

    private Change change(boolean dryRun, Edit edit) {
        if (dryRun || !Files.isDirectory(dir)) {
            ClusterContexts before = read();
            ClusterContexts after = edit.apply(before);
            if (dryRun || before.equals(after)) {
                return new Change(before, after, false);
            }
        }
        createDir();
        // a file lock keeps other processes out; threads of this one wait here (the JVM refuses a second lock on one file)
        synchronized (ContextStore.class) {
            return lockedChange(edit);
        }
    }

    private Change lockedChange(Edit edit) {
        try (FileChannel lockFile = FileChannel.open(dir.resolve(FILE_NAME + ".lock"), Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
             FileLock ignored = lockFile.lock()) {
            ClusterContexts before = read();
            ClusterContexts after = edit.apply(before);
            if (before.equals(after)) {
                return new Change(before, after, false);
            }
            write(after);
            return new Change(before, after, true);
        } catch (IOException e) {
            throw ConnectError.io("write", file(), e);
        }
    }

    private void createDir() {
        if (Files.isDirectory(dir)) {
            return;
        }
        try {
            Files.createDirectories(dir.getParent());
            try {
                Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } catch (FileAlreadyExistsException e) {
                if (!Files.isDirectory(dir)) {
                    throw ConnectError.invalidInput("cannot create directory " + dir + ": a file of that name exists and is not a directory");
                }
                return; // made by another command at the same moment
            }
            // the umask may have taken bits away; it cannot have added any, but say exactly what is meant
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        } catch (IOException e) {
            throw ConnectError.io("create directory", dir, e);
        }
    }

    private void write(ClusterContexts contexts) throws IOException {
        Path target = file();
        Path tmp = Files.createTempFile(dir, "." + FILE_NAME, ".tmp", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ch.write(java.nio.ByteBuffer.wrap(text(contexts).getBytes(StandardCharsets.UTF_8)));
                ch.force(true);
            }
            if (Files.isRegularFile(target)) {
                Path backup = dir.resolve(FILE_NAME + ".bak");
                Files.copy(target, backup, StandardCopyOption.REPLACE_EXISTING);
                Files.setPosixFilePermissions(backup, PosixFilePermissions.fromString("rw-------"));
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            // the rename survives a crash only once the directory is synced
            try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
                d.force(true);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** The file's text: names are plain words; paths are double-quoted, so that any character in one reads back the same. */
    static String text(ClusterContexts contexts) {
        StringBuilder sb = new StringBuilder("# connect's contexts, written by 'connect ha context'; see docs/contexts.md\n");
        if (contexts.current() != null) {
            sb.append("current: ").append(contexts.current()).append('\n');
        }
        sb.append("contexts:").append(contexts.contexts().isEmpty() ? " []\n" : "\n");
        for (ClusterContext c : contexts.contexts()) {
            sb.append("  - name: ").append(c.name()).append('\n');
            sb.append("    cluster_file: ").append(quoted(c.clusterFile().toString())).append('\n');
        }
        return sb.toString();
    }

    /** A YAML double-quoted scalar. */
    private static String quoted(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) || c == 0x2028 || c == 0x2029 || c == 0xfeff) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }

    /**
     * A context name: letters, digits, '.', '_' and '-', starting with a letter or digit, at most 63
     * characters; it is typed on command lines and shown in tables.
     */
    public static void checkName(String name) {
        String why = nameProblem(name);
        if (why != null) {
            throw ConnectError.invalidInput(why);
        }
    }

    static String nameProblem(String name) {
        if (name == null || name.isEmpty()) {
            return "a context name cannot be empty";
        }
        if (name.length() > MAX_NAME) {
            return "context name '" + name + "' is longer than " + MAX_NAME + " characters";
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean letterOrDigit = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
            if (!letterOrDigit && (i == 0 || (c != '.' && c != '_' && c != '-'))) {
                return "context name '" + name + "' must be letters, digits, '.', '_' and '-', starting with a letter or digit";
            }
        }
        return null;
    }

    // ---- reading, with every problem at its line and column

    private static final class Problem extends RuntimeException {
        Problem(Path file, JsonLocation at, String message) {
            super(file + ":" + Math.max(1, at == null ? 1 : at.getLineNr()) + ":" + Math.max(1, at == null ? 1 : at.getColumnNr()) + ": " + message,
                    null, false, false);
        }
    }

    static ClusterContexts parse(Path file, String text) {
        YAMLFactory factory = YAMLFactory.builder().enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
        try (JsonParser p = factory.createParser(text)) {
            try {
                return document(file, p);
            } catch (JsonProcessingException e) {
                ClusterFileProblem at = ClusterFileLoader.syntaxProblem(e, p);
                throw ConnectError.invalidInput(file + ":" + at.line() + ":" + at.column() + ": " + at.message());
            } catch (Problem e) {
                throw ConnectError.invalidInput(e.getMessage());
            }
        } catch (IOException e) {
            throw ConnectError.io("read", file, e);
        }
    }

    private static ClusterContexts document(Path file, JsonParser p) throws IOException {
        JsonToken first = p.nextToken();
        if (first == null || first == JsonToken.VALUE_NULL) {
            return ClusterContexts.EMPTY; // empty, or only comments
        }
        if (first != JsonToken.START_OBJECT) {
            throw new Problem(file, p.currentTokenLocation(), "expected a mapping with 'current' and 'contexts'");
        }
        String current = null;
        JsonLocation currentAt = null;
        List<ClusterContext> contexts = new ArrayList<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            JsonLocation keyAt = p.currentTokenLocation();
            JsonToken value = p.nextToken();
            switch (key) {
                case "current" -> {
                    currentAt = p.currentTokenLocation();
                    if (value == JsonToken.VALUE_NULL) {
                        current = null;
                    } else if (value == JsonToken.VALUE_STRING) {
                        current = p.getText();
                        String why = nameProblem(current);
                        if (why != null) {
                            throw new Problem(file, currentAt, "current: " + why);
                        }
                    } else {
                        throw new Problem(file, currentAt, "current: expected a context name");
                    }
                }
                case "contexts" -> {
                    if (value == JsonToken.VALUE_NULL) {
                        continue;
                    }
                    if (value != JsonToken.START_ARRAY) {
                        throw new Problem(file, p.currentTokenLocation(), "contexts: expected a list");
                    }
                    Set<String> seen = new HashSet<>();
                    int index = 0;
                    while (p.nextToken() != JsonToken.END_ARRAY) {
                        JsonLocation at = p.currentTokenLocation();
                        ClusterContext c = context(file, p, "contexts[" + index + "]");
                        if (!seen.add(c.name())) {
                            throw new Problem(file, at, "contexts[" + index + "].name: context '" + c.name() + "' is listed twice");
                        }
                        contexts.add(c);
                        index++;
                    }
                }
                default -> throw new Problem(file, keyAt, "unknown field '" + key + "' (known fields: contexts, current)");
            }
        }
        ClusterContexts result = new ClusterContexts(contexts, current);
        if (current != null && result.find(current).isEmpty()) {
            throw new Problem(file, currentAt, "current: no context is named '" + current + "'");
        }
        return result;
    }

    private static ClusterContext context(Path file, JsonParser p, String path) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            throw new Problem(file, p.currentTokenLocation(), path + ": expected a mapping with 'name' and 'cluster_file'");
        }
        JsonLocation start = p.currentTokenLocation();
        String name = null;
        String clusterFile = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            JsonLocation keyAt = p.currentTokenLocation();
            JsonToken value = p.nextToken();
            JsonLocation valueAt = p.currentTokenLocation();
            if (!key.equals("name") && !key.equals("cluster_file")) {
                throw new Problem(file, keyAt, path + ": unknown field '" + key + "' (known fields: cluster_file, name)");
            }
            if (value != JsonToken.VALUE_STRING) {
                throw new Problem(file, valueAt, path + "." + key + ": expected " + (key.equals("name") ? "a context name" : "an absolute path"));
            }
            if (key.equals("name")) {
                name = p.getText();
                String why = nameProblem(name);
                if (why != null) {
                    throw new Problem(file, valueAt, path + ".name: " + why);
                }
            } else {
                clusterFile = p.getText();
                if (!clusterFile.startsWith("/")) {
                    throw new Problem(file, valueAt, path + ".cluster_file: expected an absolute path, not '" + clusterFile + "'");
                }
            }
        }
        if (name == null || clusterFile == null) {
            throw new Problem(file, start, path + ": missing field '" + (name == null ? "name" : "cluster_file") + "'");
        }
        return new ClusterContext(name, Path.of(clusterFile));
    }
}
