package io.connectha.startup;

import io.connectha.cluster.ClusterFileException;
import io.connectha.cluster.ClusterFileLoader;
import io.connectha.cluster.ClusterSpec;
import io.connectha.cluster.MemberSpec;
import io.connectha.support.TestClusters;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ClusterModelCacheTest {

    @TempDir
    Path dir;
    Path file;
    ClusterModelCache cache;

    @BeforeEach
    void a_valid_cluster_file() throws IOException {
        file = dir.resolve("cluster.yaml");
        Files.writeString(file, TestClusters.minimal(dir));
        cache = new ClusterModelCache(dir.resolve("cache"), "build 1");
    }

    private ClusterFileLoader cached(Map<String, String> env) {
        return new ClusterFileLoader(env).withCache(cache);
    }

    private ClusterSpec fresh(Path f, Map<String, String> env) {
        return new ClusterFileLoader(env).load(f).spec();
    }

    private boolean kept(Path f) throws IOException {
        return cache.get(f, Files.readAllBytes(f)).isPresent();
    }

    @Test
    void a_kept_model_is_the_model_a_fresh_read_gives() throws IOException {
        ClusterSpec first = cached(Map.of()).load(file).spec();
        assertThat(kept(file)).isTrue();
        ClusterSpec second = cached(Map.of()).load(file).spec();
        assertThat(second).isEqualTo(first).isEqualTo(fresh(file, Map.of()));
        assertThat(second.toString()).isEqualTo(first.toString());
    }

    @Test
    void the_fields_the_file_sets_itself_are_kept_with_the_model() throws IOException {
        Files.writeString(file, TestClusters.minimal(dir) + "patroni:\n  loop_wait: 2\n  ttl: 20\n");
        io.connectha.cluster.LoadedCluster first = cached(Map.of()).load(file);
        assertThat(kept(file)).isTrue();
        io.connectha.cluster.LoadedCluster second = cached(Map.of()).load(file);
        // set: loop_wait and ttl; left to defaults (though the spec holds a value): retry_timeout
        assertThat(second.setInFile()).isEqualTo(first.setInFile()).contains("/patroni/loop_wait", "/patroni/ttl", "/name")
                .doesNotContain("/patroni/retry_timeout", "/patroni/maximum_lag_on_failover", "/checks/lag_warning");
        assertThat(second.spec().patroni().retryTimeout()).isEqualTo(10);
        assertThat(second.sets("/patroni/loop_wait")).isTrue();
    }

    @Test
    void the_example_with_every_kind_of_field_reads_back_equal_in_file_order() throws IOException {
        Map<String, String> env = TestClusters.exampleSecrets();
        Path example = dir.resolve("example.yaml");
        // parameters is a map whose order matters, members and networks are lists, storage an enum, sizes records
        Files.writeString(example, Files.readString(TestClusters.EXAMPLE));
        ClusterSpec expected = fresh(example, env);
        cached(env).load(example);
        assertThat(kept(example)).isTrue();
        ClusterSpec read = cached(env).load(example).spec();
        assertThat(read).isEqualTo(expected);
        assertThat(read.postgresql().parameters().keySet()).containsExactlyElementsOf(expected.postgresql().parameters().keySet());
        assertThat(read.members()).extracting(MemberSpec::name).containsExactly("pg1", "pg2", "pg3");
    }

    @Test
    void a_changed_file_is_read_afresh_and_its_entry_replaced() throws IOException {
        cached(Map.of()).load(file);
        byte[] before = Files.readAllBytes(file);
        Files.writeString(file, Files.readString(file).replace("name: test", "name: changed"));

        assertThat(cached(Map.of()).load(file).spec().name()).isEqualTo("changed");
        assertThat(cache.get(file, before)).isEmpty();
        assertThat(kept(file)).isTrue();
        try (Stream<Path> entries = Files.list(dir.resolve("cache"))) {
            assertThat(entries.toList()).hasSize(1);
        }
    }

    @Test
    void a_corrupt_or_truncated_entry_is_ignored_and_rebuilt() throws IOException {
        ClusterSpec expected = cached(Map.of()).load(file).spec();
        Path entry = cache.entry(file);
        byte[] whole = Files.readAllBytes(entry);

        Files.write(entry, java.util.Arrays.copyOf(whole, whole.length - 7));
        assertThat(cache.get(file, Files.readAllBytes(file))).isEmpty();
        assertThat(cached(Map.of()).load(file).spec()).isEqualTo(expected);
        assertThat(Files.readAllBytes(entry)).isEqualTo(whole);

        Files.writeString(entry, "not a model at all");
        assertThat(cached(Map.of()).load(file).spec()).isEqualTo(expected);
        assertThat(Files.readAllBytes(entry)).isEqualTo(whole);

        byte[] flipped = whole.clone();
        flipped[flipped.length - 3] ^= 0x5a;
        Files.write(entry, flipped);
        assertThat(cached(Map.of()).load(file).spec()).isEqualTo(expected);
    }

    @Test
    void an_entry_of_another_build_or_another_path_is_not_used() throws IOException {
        cached(Map.of()).load(file);
        byte[] content = Files.readAllBytes(file);
        assertThat(new ClusterModelCache(dir.resolve("cache"), "build 2").get(file, content)).isEmpty();
        // the same bytes at another path have an entry of their own
        Path copy = dir.resolve("copy.yaml");
        Files.write(copy, content);
        assertThat(cache.get(copy, content)).isEmpty();
    }

    @Test
    void an_entry_is_private_and_holds_no_secret() throws IOException {
        Files.writeString(file, Files.readString(file).replaceFirst("  app: \\{file: [^}]*}", "  app: {env: APP_PW}"));
        cached(Map.of("APP_PW", "s3cret-Xq9-value")).load(file);
        Path entry = cache.entry(file);
        assertThat(Files.getPosixFilePermissions(entry)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        String bytes = new String(Files.readAllBytes(entry), StandardCharsets.ISO_8859_1);
        assertThat(bytes).contains("APP_PW").doesNotContain("s3cret-Xq9-value").doesNotContain("test-superuser-pw-7Qz")
                .doesNotContain("pw-7Qz");
    }

    @Test
    void a_file_that_fails_validation_is_not_kept() throws IOException {
        Files.writeString(file, Files.readString(file).replace("name: test", "name: Not_Valid"));
        assertThat(catchThrowableOfType(ClusterFileException.class, () -> cached(Map.of()).load(file))).isNotNull();
        assertThat(Files.exists(cache.entry(file))).isFalse();
    }

    @Test
    void an_inline_password_is_refused_and_never_written() throws IOException {
        Files.writeString(file, Files.readString(file).replaceFirst("  app: \\{file: [^}]*}", "  app: {password: hunter2-real}"));
        assertThat(catchThrowableOfType(ClusterFileException.class, () -> cached(Map.of()).load(file))).isNotNull();
        assertThat(Files.exists(cache.entry(file))).isFalse();
    }

    @Test
    void secret_sources_are_checked_on_every_load_even_from_a_kept_model() throws IOException {
        Files.writeString(file, Files.readString(file).replaceFirst("  app: \\{file: [^}]*}", "  app: {env: APP_PW}"));
        cached(Map.of("APP_PW", "fine-Xq9-value")).load(file);
        assertThat(kept(file)).isTrue();

        String expected = catchThrowableOfType(ClusterFileException.class,
                () -> new ClusterFileLoader(Map.of("APP_PW", "CHANGE_ME")).load(file)).getMessage();
        String fromKept = catchThrowableOfType(ClusterFileException.class,
                () -> cached(Map.of("APP_PW", "CHANGE_ME")).load(file)).getMessage();
        assertThat(fromKept).isEqualTo(expected).contains("secrets.app.env: environment variable APP_PW holds a placeholder password");

        Files.setPosixFilePermissions(dir.resolve("replication.password"), PosixFilePermissions.fromString("rw-r--r--"));
        String expectedMode = catchThrowableOfType(ClusterFileException.class,
                () -> new ClusterFileLoader(Map.of()).load(file)).getMessage();
        String modeFromKept = catchThrowableOfType(ClusterFileException.class, () -> cached(Map.of()).load(file)).getMessage();
        assertThat(modeFromKept).isEqualTo(expectedMode).contains("has mode 0644: readable by its group and by others; it must be 0600 or stricter");
    }

    @Test
    void a_cache_that_cannot_be_written_costs_nothing_but_time() throws IOException {
        Path blocked = dir.resolve("blocked");
        Files.writeString(blocked, "a file where the cache directory should be");
        ClusterModelCache unwritable = new ClusterModelCache(blocked.resolve("cache"), "build 1");
        ClusterSpec spec = new ClusterFileLoader(Map.of()).withCache(unwritable).load(file).spec();
        assertThat(spec).isEqualTo(fresh(file, Map.of()));
        assertThat(unwritable.get(file, Files.readAllBytes(file))).isEmpty();
    }

    @Test
    void the_cache_directory_follows_the_environment_and_can_be_turned_off() {
        assertThat(ClusterModelCache.forThisProcess(Map.of("CONNECT_CACHE", "off"))).isEmpty();
        // test classes run from a directory, not a jar: no build identity, so no cache unless the launcher names the build
        String before = System.getProperty("connect.build");
        try {
            System.setProperty("connect.build", "abc123");
            assertThat(ClusterModelCache.forThisProcess(Map.of("CONNECT_CACHE_DIR", dir.toString())).orElseThrow()
                    .entry(file).getParent()).isEqualTo(dir);
            assertThat(ClusterModelCache.forThisProcess(Map.of("XDG_CACHE_HOME", dir.toString())).orElseThrow()
                    .entry(file).getParent()).isEqualTo(dir.resolve("connect"));
        } finally {
            if (before == null) {
                System.clearProperty("connect.build");
            } else {
                System.setProperty("connect.build", before);
            }
        }
    }
}
