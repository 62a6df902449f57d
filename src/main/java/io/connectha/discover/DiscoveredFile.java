package io.connectha.discover;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.connectha.cluster.ContextStore;
import io.connectha.config.ConfigFileWriter;
import io.connectha.error.ConnectError;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The discovered cluster file as text, and its one write. The text depends only on what was found:
 * keys in a fixed order, members and etcd members by name, the sources in option order, no time, so
 * that two runs against the same cluster give the same bytes.
 */
public final class DiscoveredFile {

    private static final ObjectMapper YAML = YAMLMapper.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR)
            .build();

    /** What is at the target already. */
    public enum Existing { none, same, different }

    private DiscoveredFile() {
    }

    static String render(List<String> sources, Map<String, Object> file) {
        StringBuilder sb = new StringBuilder();
        sb.append("# Discovered by `connect ha discover` from a running cluster, from:\n");
        for (String s : sources) {
            sb.append("#   ").append(s.replace('\n', ' ')).append('\n');
        }
        sb.append("# It says where things are; how Patroni runs (its live /config, roles, lag) is read live by every command.\n");
        sb.append("# No password is in this file: the secrets section says where each one is read from.\n");
        try {
            return sb + YAML.writeValueAsString(file);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render YAML", e);
        }
    }

    public static Existing existing(Path target, String content) {
        if (!Files.exists(target)) {
            return Existing.none;
        }
        if (!Files.isRegularFile(target)) {
            throw new ConnectError(ConnectError.Kind.FAILURE, "cannot write " + target + ": not a regular file");
        }
        try {
            return Arrays.equals(Files.readAllBytes(target), content.getBytes(StandardCharsets.UTF_8)) ? Existing.same : Existing.different;
        } catch (IOException e) {
            throw ConnectError.io("read", target, e);
        }
    }

    /** Writes atomically, as {@code config generate} does; mode 0644: the file holds no secret. */
    public static DiscoveryReport write(DiscoveryReport report, Path target) {
        Existing before = existing(target, report.content());
        if (before == Existing.same) {
            return report.written(target.toString(), "unchanged");
        }
        Path absolute = target.toAbsolutePath();
        ConfigFileWriter.checkWritable(absolute.getParent(), List.of(io.connectha.config.GeneratedFile.config(
                absolute.getFileName().toString(), report.content())));
        try {
            if (!Files.isDirectory(absolute.getParent())) {
                Files.createDirectories(absolute.getParent());
            }
            ConfigFileWriter.writeAtomically(absolute, report.content(), PosixFilePermissions.fromString("rw-r--r--"));
        } catch (IOException e) {
            throw ConnectError.io("write", target, e);
        }
        return report.written(target.toString(), before == Existing.none ? "created" : "updated");
    }

    /**
     * Refuses, before anything is written, a context name that is not one, or one that names another
     * file unless {@code replace}: the file and its context are written together or not at all.
     */
    public static void checkContext(String name, Path target, boolean replace, Map<String, String> environment) {
        ContextStore.checkName(name);
        Path file = target.toAbsolutePath().normalize();
        ContextStore.openDefault(environment).read().find(name).ifPresent(existing -> {
            if (!existing.clusterFile().equals(file) && !replace) {
                throw ConnectError.invalidInput("context '" + name + "' already names " + existing.clusterFile()
                        + "; add --yes to point it at " + file);
            }
        });
    }

    /** Registers the written file as context {@code name} (not made current: {@code connect ha context use} does that). */
    public static DiscoveryReport register(DiscoveryReport report, Path target, String name, boolean replace, boolean dryRun,
                                           Map<String, String> environment) {
        ContextStore store = ContextStore.openDefault(environment);
        ContextStore.Change change = store.add(name, target.toAbsolutePath().normalize(), false, replace, dryRun);
        String action = dryRun ? "dry_run" : change.changed() ? "added" : "unchanged";
        return report.registered(new DiscoveryReport.Context(name, store.file().toString(), action));
    }

    public static DiscoveryReport notWritten(DiscoveryReport report, boolean dryRun) {
        return report.written(null, dryRun ? "dry_run" : "printed");
    }
}
