package io.connectha.cluster;

import io.connectha.error.ConnectError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ContextStoreTest {

    @TempDir
    Path tmp;

    private ContextStore store() {
        return ContextStore.openDefault(Map.of("XDG_CONFIG_HOME", tmp.resolve("xdg").toString(), "HOME", tmp.resolve("home").toString()));
    }

    @Test
    void the_directory_is_xdg_config_home_else_home_dot_config_and_a_relative_xdg_is_ignored() {
        assertThat(ContextStore.defaultDir(Map.of("XDG_CONFIG_HOME", "/x/conf", "HOME", "/h"))).isEqualTo(Path.of("/x/conf/connect"));
        assertThat(ContextStore.defaultDir(Map.of("HOME", "/h"))).isEqualTo(Path.of("/h/.config/connect"));
        assertThat(ContextStore.defaultDir(Map.of("XDG_CONFIG_HOME", "conf", "HOME", "/h"))).isEqualTo(Path.of("/h/.config/connect"));
        assertThat(ContextStore.defaultDir(Map.of("XDG_CONFIG_HOME", "", "HOME", "/h"))).isEqualTo(Path.of("/h/.config/connect"));
    }

    @Test
    void add_writes_the_file_0600_in_a_0700_directory_and_reads_it_back() throws IOException {
        ContextStore store = store();
        ContextStore.Change change = store.add("prod", Path.of("/etc/connect/prod.yaml"), true);
        assertThat(change.written()).isTrue();
        assertThat(store.file()).isEqualTo(tmp.resolve("xdg/connect/contexts.yaml"));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(store.file()))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(store.dir()))).isEqualTo("rwx------");
        assertThat(Files.readString(store.file())).isEqualTo("""
                # connect's contexts, written by 'connect ha context'; see docs/contexts.md
                current: prod
                contexts:
                  - name: prod
                    cluster_file: "/etc/connect/prod.yaml"
                """);
        assertThat(store.read()).isEqualTo(new ClusterContexts(List.of(new ClusterContext("prod", Path.of("/etc/connect/prod.yaml"))), "prod"));
    }

    @Test
    void a_path_with_quotes_backslashes_and_controls_reads_back_the_same() {
        ContextStore store = store();
        Path odd = Path.of("/tmp/a \"b\" \\c: #d\te\u0001f/é.yaml");
        store.add("odd", odd, false);
        assertThat(store.read().find("odd").orElseThrow().clusterFile()).isEqualTo(odd);
    }

    @Test
    void a_change_replaces_the_file_by_a_rename_keeps_the_old_one_as_bak_and_leaves_no_temporary_file() throws IOException {
        ContextStore store = store();
        store.add("a", Path.of("/a.yaml"), false);
        String first = Files.readString(store.file());
        Object inode = Files.getAttribute(store.file(), "unix:ino");
        store.add("b", Path.of("/b.yaml"), false);
        assertThat(Files.getAttribute(store.file(), "unix:ino")).as("a new file renamed into place, not rewritten in place").isNotEqualTo(inode);
        Path backup = store.dir().resolve("contexts.yaml.bak");
        assertThat(Files.readString(backup)).isEqualTo(first);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(backup))).isEqualTo("rw-------");
        try (Stream<Path> files = Files.list(store.dir())) {
            assertThat(files.map(p -> p.getFileName().toString()).sorted().toList())
                    .containsExactly("contexts.yaml", "contexts.yaml.bak", "contexts.yaml.lock");
        }
        assertThat(store.read().names()).containsExactly("a", "b");
    }

    @Test
    void adding_the_same_context_twice_changes_nothing_and_does_not_write() throws IOException {
        ContextStore store = store();
        store.add("a", Path.of("/a.yaml"), false);
        FileTime old = FileTime.fromMillis(1_000_000);
        Files.setLastModifiedTime(store.file(), old);
        ContextStore.Change again = store.add("a", Path.of("/a.yaml"), false);
        assertThat(again.changed()).isFalse();
        assertThat(again.written()).isFalse();
        assertThat(Files.getLastModifiedTime(store.file())).isEqualTo(old);
    }

    @Test
    void a_name_that_names_another_file_is_refused_unless_replaced_in_its_place() {
        ContextStore store = store();
        store.add("a", Path.of("/a.yaml"), false);
        store.add("b", Path.of("/b.yaml"), false);
        assertThatThrownBy(() -> store.add("a", Path.of("/other.yaml"), false))
                .isInstanceOf(ConnectError.class)
                .hasMessage("context 'a' already names /a.yaml; give --force to point it at /other.yaml");
        store.add("a", Path.of("/other.yaml"), false, true, false);
        assertThat(store.read().contexts()).containsExactly(new ClusterContext("a", Path.of("/other.yaml")),
                new ClusterContext("b", Path.of("/b.yaml")));
    }

    @Test
    void names_and_paths_are_checked() {
        ContextStore store = store();
        assertThatThrownBy(() -> store.add("-x", Path.of("/a.yaml"), false))
                .hasMessage("context name '-x' must be letters, digits, '.', '_' and '-', starting with a letter or digit");
        assertThatThrownBy(() -> store.add("a b", Path.of("/a.yaml"), false))
                .hasMessage("context name 'a b' must be letters, digits, '.', '_' and '-', starting with a letter or digit");
        assertThatThrownBy(() -> store.add("", Path.of("/a.yaml"), false)).hasMessage("a context name cannot be empty");
        assertThatThrownBy(() -> store.add("x".repeat(64), Path.of("/a.yaml"), false))
                .hasMessage("context name '" + "x".repeat(64) + "' is longer than 63 characters");
        assertThatThrownBy(() -> store.add("a", Path.of("a.yaml"), false))
                .hasMessage("the cluster file of a context must be an absolute path, not 'a.yaml'");
        assertThat(Files.exists(store.dir())).as("nothing written for a refused change").isFalse();
        store.add("prod-eu_1.b", Path.of("/a/../b.yaml"), false);
        assertThat(store.read().find("prod-eu_1.b").orElseThrow().clusterFile()).isEqualTo(Path.of("/b.yaml"));
    }

    @Test
    void use_makes_a_context_current_and_an_unknown_one_is_named_with_the_known_ones() {
        ContextStore store = store();
        store.add("prod", Path.of("/p.yaml"), false);
        store.add("stage", Path.of("/s.yaml"), false);
        assertThat(store.read().current()).isNull();
        assertThat(store.use("stage", false).written()).isTrue();
        assertThat(store.read().currentContext().orElseThrow().clusterFile()).isEqualTo(Path.of("/s.yaml"));
        assertThat(store.use("stage", false).changed()).isFalse();
        assertThatThrownBy(() -> store.use("prdo", false))
                .isInstanceOfSatisfying(UnknownContextException.class, e -> {
                    assertThat(e.known()).containsExactly("prod", "stage");
                    assertThat(e.messageWith(List.of("prod"))).isEqualTo("unknown context 'prdo'; did you mean 'prod'?");
                })
                .hasMessage("unknown context 'prdo'; known contexts: prod, stage");
    }

    @Test
    void removing_the_current_context_leaves_none_current_and_removing_it_again_changes_nothing() {
        ContextStore store = store();
        store.add("prod", Path.of("/p.yaml"), true);
        store.add("stage", Path.of("/s.yaml"), false);
        ContextStore.Change removed = store.remove("prod", false);
        assertThat(removed.before().current()).isEqualTo("prod");
        assertThat(removed.after()).isEqualTo(new ClusterContexts(List.of(new ClusterContext("stage", Path.of("/s.yaml"))), null));
        ContextStore.Change again = store.remove("prod", false);
        assertThat(again.changed()).isFalse();
        assertThat(again.written()).isFalse();
    }

    @Test
    void a_dry_run_and_a_removal_from_no_file_create_nothing() {
        ContextStore store = store();
        ContextStore.Change dry = store.add("prod", Path.of("/p.yaml"), true, false, true);
        assertThat(dry.changed()).isTrue();
        assertThat(dry.written()).isFalse();
        assertThat(dry.after().current()).isEqualTo("prod");
        assertThat(store.remove("prod", false).changed()).isFalse();
        assertThat(Files.exists(tmp.resolve("xdg"))).isFalse();
    }

    @Test
    void changes_at_the_same_moment_lose_none_of_each_other() throws Exception {
        ContextStore store = store();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < 24; i++) {
                String name = "c" + i;
                done.add(pool.submit(() -> ContextStore.open(store.dir()).add(name, Path.of("/" + name + ".yaml"), false)));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(store.read().contexts()).hasSize(24);
    }

    // ---- a file edited by hand: every problem at its line and column

    private String problem(String text) throws IOException {
        ContextStore store = store();
        Files.createDirectories(store.dir());
        Files.writeString(store.file(), text);
        try {
            store.read();
        } catch (ConnectError e) {
            assertThat(e.kind()).isEqualTo(ConnectError.Kind.INVALID_INPUT);
            return e.getMessage().replace(store.file().toString(), "FILE");
        }
        throw new AssertionError("read without error");
    }

    @Test
    void an_unknown_field_is_named_where_it_is() throws IOException {
        assertThat(problem("current: a\ncontexts:\n  - name: a\n    cluster_file: /a.yaml\n    clusterfile: /b.yaml\n"))
                .isEqualTo("FILE:5:5: contexts[0]: unknown field 'clusterfile' (known fields: cluster_file, name)");
        assertThat(problem("curent: a\n")).isEqualTo("FILE:1:1: unknown field 'curent' (known fields: contexts, current)");
    }

    @Test
    void a_current_context_that_is_not_listed_is_named_where_current_is() throws IOException {
        assertThat(problem("contexts:\n  - name: a\n    cluster_file: /a.yaml\ncurrent: b\n"))
                .isEqualTo("FILE:4:10: current: no context is named 'b'");
    }

    @Test
    void a_name_listed_twice_a_relative_path_and_a_missing_field_are_named_where_they_are() throws IOException {
        assertThat(problem("contexts:\n  - name: a\n    cluster_file: /a.yaml\n  - name: a\n    cluster_file: /b.yaml\n"))
                .isEqualTo("FILE:4:5: contexts[1].name: context 'a' is listed twice");
        assertThat(problem("contexts:\n  - name: a\n    cluster_file: a.yaml\n"))
                .isEqualTo("FILE:3:19: contexts[0].cluster_file: expected an absolute path, not 'a.yaml'");
        assertThat(problem("contexts:\n  - name: a\n"))
                .isEqualTo("FILE:2:5: contexts[0]: missing field 'cluster_file'");
        assertThat(problem("contexts:\n  - name: 'a b'\n    cluster_file: /a.yaml\n"))
                .isEqualTo("FILE:2:11: contexts[0].name: context name 'a b' must be letters, digits, '.', '_' and '-', starting with a letter or digit");
        assertThat(problem("contexts: {a: /a.yaml}\n")).isEqualTo("FILE:1:11: contexts: expected a list");
    }

    @Test
    void invalid_yaml_is_named_where_the_parser_found_it() throws IOException {
        assertThat(problem("contexts:\n  - name: a\n\tcluster_file: /a.yaml\n"))
                .startsWith("FILE:3:1: invalid YAML: ");
        assertThat(problem("- a\n- b\n")).isEqualTo("FILE:1:1: expected a mapping with 'current' and 'contexts'");
    }

    @Test
    void an_empty_file_or_one_of_comments_holds_no_contexts() throws IOException {
        ContextStore store = store();
        Files.createDirectories(store.dir());
        Files.writeString(store.file(), "# nothing yet\n");
        assertThat(store.read()).isEqualTo(ClusterContexts.EMPTY);
        Files.writeString(store.file(), "");
        assertThat(store.read()).isEqualTo(ClusterContexts.EMPTY);
    }
}
