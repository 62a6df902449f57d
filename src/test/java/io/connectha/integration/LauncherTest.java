package io.connectha.integration;

import io.connectha.process.ProcessController;
import io.connectha.support.TestClusters;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * bin/connect with its class-data caches: the same output with and without a cache, a cache the JVM
 * rejects leaves stdout clean, and a rebuilt jar is never run with the old jar's cache. Runs a copy
 * of the launcher and the jar, so that the repository's own caches are untouched.
 */
@Tag("integration")
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class LauncherTest {

    @TempDir
    Path dir;
    Path launcher;
    Path jar;
    Path cache;

    @BeforeEach
    void copy_launcher_and_jar() throws IOException {
        Files.createDirectories(dir.resolve("bin"));
        Files.createDirectories(dir.resolve("target"));
        launcher = dir.resolve("bin/connect");
        jar = dir.resolve("target/connect.jar");
        Files.copy(TestClusters.PROJECT.resolve("bin/connect"), launcher);
        launcher.toFile().setExecutable(true);
        Path built = TestClusters.PROJECT.resolve("target/connect.jar");
        assertThat(built).as("the jar: scripts/test builds it before the tests").exists();
        Files.copy(built, jar);
        cache = dir.resolve("cache");
    }

    private ProcessController.Result run(Map<String, String> env, String... args) {
        List<String> command = new java.util.ArrayList<>(List.of(launcher.toString()));
        command.addAll(List.of(args));
        Path log = dir.resolve("run-" + System.nanoTime() + ".log");
        ProcessController.ProcessSpec spec = new ProcessController.ProcessSpec("connect", command,
                new java.util.HashMap<>(Map.of("CONNECT_CACHE_DIR", cache.toString(), "HOME", dir.toString())) {{ putAll(env); }},
                dir, log, false);
        return new ProcessController().run(spec, Duration.ofSeconds(60));
    }

    /** stdout only: the launcher's and the JVM's messages must never be in it. */
    private String stdout(Map<String, String> env, String... args) throws IOException {
        Path out = dir.resolve("out-" + System.nanoTime() + ".txt");
        List<String> command = new java.util.ArrayList<>(List.of("sh", "-c", "\"$0\" \"$@\" 2>/dev/null > " + out, launcher.toString()));
        command.addAll(List.of(args));
        ProcessController.ProcessSpec spec = new ProcessController.ProcessSpec("connect", command,
                new java.util.HashMap<>(Map.of("CONNECT_CACHE_DIR", cache.toString(), "HOME", dir.toString())) {{ putAll(env); }},
                dir, dir.resolve("sh.log"), false);
        new ProcessController().run(spec, Duration.ofSeconds(60));
        return Files.readString(out);
    }

    private List<Path> caches() throws IOException {
        if (!Files.isDirectory(cache)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(cache)) {
            return s.filter(p -> p.toString().endsWith(".aot") || p.toString().endsWith(".jsa")).toList();
        }
    }

    /** The jar's hash as the launcher recorded it: one record per jar path. */
    private String jarKey() throws IOException {
        try (Stream<Path> s = Files.list(cache)) {
            List<Path> keys = s.filter(p -> p.getFileName().toString().startsWith("jar") && p.toString().endsWith(".sha256")).toList();
            assertThat(keys).as("one recorded jar hash").hasSize(1);
            return Files.readString(keys.get(0)).strip();
        }
    }

    /** Until a cache for the current jar's key is complete and no training or build is under way. */
    private void awaitCache() {
        ProcessController.awaitReady("the class-data cache", Duration.ofSeconds(60), Duration.ofMillis(200), () -> {
            String key = jarKey();
            try (Stream<Path> all = Files.list(cache)) {
                boolean busy = all.anyMatch(p -> p.toString().contains(".tmp.") || p.toString().endsWith(".lock"));
                return !busy && caches().stream().anyMatch(p -> p.getFileName().toString().contains(key));
            }
        });
    }

    @Test
    void output_is_the_same_with_and_without_a_cache_and_stdout_stays_clean() throws Exception {
        String without = stdout(Map.of("CONNECT_CACHE", "off"), "ha", "--help");
        String first = stdout(Map.of(), "ha", "--help");
        assertThat(caches()).as("a family trains on its second run").isEmpty();
        String training = stdout(Map.of(), "ha", "--help");
        awaitCache();
        String with = stdout(Map.of(), "ha", "--help");
        assertThat(without).contains("Usage: connect ha");
        assertThat(first).isEqualTo(without);
        assertThat(training).isEqualTo(without);
        assertThat(with).isEqualTo(without);
        assertThat(caches()).hasSize(1);
    }

    @Test
    void a_cache_the_jvm_rejects_is_not_used_and_the_command_still_works() throws Exception {
        stdout(Map.of(), "--version");
        stdout(Map.of(), "--version");
        awaitCache();
        Path c = caches().get(0);
        Files.writeString(c, "not a class-data archive");
        ProcessController.Result r = run(Map.of(), "--version");
        assertThat(r.exitCode()).isZero();
        assertThat(stdout(Map.of(), "--version")).startsWith("connect ").doesNotContain("warning").doesNotContain("AOT");
    }

    @Test
    void a_rebuilt_jar_gets_a_new_key_and_never_the_old_cache() throws Exception {
        stdout(Map.of(), "--version");
        stdout(Map.of(), "--version");
        awaitCache();
        String oldKey = jarKey();
        Path oldCache = caches().get(0);
        assertThat(oldCache.getFileName().toString()).contains(oldKey);

        // a different jar (one more entry), newer than the recorded key: what a rebuild leaves
        Thread.sleep(1100);
        Path extra = dir.resolve("rebuilt.txt");
        Files.writeString(extra, "rebuilt");
        ProcessController.Result update = new ProcessController().run(ProcessController.ProcessSpec.of("jar", dir.resolve("jar.log"), false,
                "jar", "uf", jar.toString(), "-C", dir.toString(), "rebuilt.txt"), Duration.ofSeconds(60));
        assertThat(update.exitCode()).as(update.output()).isZero();

        assertThat(stdout(Map.of(), "--version")).startsWith("connect ");
        String newKey = jarKey();
        assertThat(newKey).isNotEqualTo(oldKey);
        assertThat(stdout(Map.of(), "--version")).startsWith("connect ");
        awaitCache();
        assertThat(caches()).allMatch(p -> p.getFileName().toString().contains(newKey));
        assertThat(caches()).noneMatch(p -> p.equals(oldCache));
    }

    @Test
    void the_cluster_model_is_kept_between_runs_and_changes_nothing_in_the_output() throws Exception {
        Path cluster = dir.resolve("cluster.yaml");
        Files.writeString(cluster, TestClusters.minimal(dir));
        // the file alone: this is about reading it back, and the test cluster runs nowhere to be asked
        String[] show = {"ha", "config", "show", "--file-only", "-c", cluster.toString()};
        String without = stdout(Map.of("CONNECT_CACHE", "off"), show);
        assertThat(without).contains("name: test");

        String first = stdout(Map.of(), show);
        List<Path> models = models();
        assertThat(models).hasSize(1);
        assertThat(Files.getPosixFilePermissions(models.get(0))).isEqualTo(java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        assertThat(Files.readString(models.get(0), java.nio.charset.StandardCharsets.ISO_8859_1)).doesNotContain("pw-7Qz");
        String second = stdout(Map.of(), show);
        assertThat(first).isEqualTo(without);
        assertThat(second).isEqualTo(without);
        // stdout and stderr together: nothing but the output, with the model read back
        ProcessController.Result both = run(Map.of(), show);
        assertThat(both.exitCode()).isZero();
        assertThat(both.output().strip()).isEqualTo(without.strip());

        // a damaged entry is ignored and written anew
        Files.writeString(models.get(0), "damaged");
        assertThat(stdout(Map.of(), show)).isEqualTo(without);
        assertThat(Files.readString(models.get(0), java.nio.charset.StandardCharsets.ISO_8859_1)).isNotEqualTo("damaged");

        // an edited file is read afresh; its entry replaced, not added to
        Files.writeString(cluster, Files.readString(cluster).replace("name: test", "name: edited"));
        assertThat(stdout(Map.of(), show)).contains("name: edited").doesNotContain("name: test");
        assertThat(models()).hasSize(1);
    }

    private List<Path> models() throws IOException {
        try (Stream<Path> s = Files.list(cache)) {
            return s.filter(p -> p.getFileName().toString().startsWith("cluster-") && p.toString().endsWith(".model")).toList();
        }
    }
}
