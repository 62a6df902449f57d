package io.connectha.cli;

import io.connectha.cluster.ContextStore;
import io.connectha.cluster.UnknownContextException;
import io.connectha.error.ConnectError;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Which cluster file a command uses: -c > --context > CONNECT_CONTEXT > CONNECT_CLUSTER > the current context > ./cluster.yaml. */
class ClusterFilePrecedenceTest {

    @TempDir
    Path tmp;

    private final Map<String, String> env = new HashMap<>();

    @BeforeEach
    void contexts() {
        env.put("XDG_CONFIG_HOME", tmp.resolve("xdg").toString());
        env.put("HOME", tmp.resolve("home").toString());
    }

    private void twoContextsWithCurrent() {
        ContextStore store = ContextStore.openDefault(env);
        store.add("prod", Path.of("/p.yaml"), true);
        store.add("stage", Path.of("/s.yaml"), false);
    }

    private Path choose(Path cluster, String context) {
        return CommandContext.chooseClusterFile(cluster, context, env);
    }

    @Test
    void each_source_wins_over_every_one_after_it() {
        twoContextsWithCurrent();
        env.put("CONNECT_CONTEXT", "stage");
        env.put("CONNECT_CLUSTER", "/env.yaml");
        assertThat(choose(Path.of("/option.yaml"), null)).isEqualTo(Path.of("/option.yaml"));
        assertThat(choose(null, "prod")).isEqualTo(Path.of("/p.yaml"));
        assertThat(choose(null, null)).as("CONNECT_CONTEXT").isEqualTo(Path.of("/s.yaml"));
        env.remove("CONNECT_CONTEXT");
        assertThat(choose(null, null)).as("CONNECT_CLUSTER").isEqualTo(Path.of("/env.yaml"));
        env.remove("CONNECT_CLUSTER");
        assertThat(choose(null, null)).as("the current context").isEqualTo(Path.of("/p.yaml"));
        ContextStore.openDefault(env).remove("prod", false);
        assertThat(choose(null, null)).as("no current context").isEqualTo(Path.of("cluster.yaml"));
    }

    @Test
    void without_a_contexts_file_it_is_cluster_yaml_and_nothing_is_created() {
        assertThat(choose(null, null)).isEqualTo(Path.of("cluster.yaml"));
        assertThat(tmp.resolve("xdg")).doesNotExist();
    }

    @Test
    void c_and_context_together_are_refused() {
        assertThatThrownBy(() -> choose(Path.of("/a.yaml"), "prod"))
                .isInstanceOfSatisfying(ConnectError.class, e -> assertThat(e.kind()).isEqualTo(ConnectError.Kind.INVALID_INPUT))
                .hasMessage("-c/--cluster and --context both choose the cluster file; give one of them");
    }

    @Test
    void an_unknown_context_says_where_its_name_came_from() {
        twoContextsWithCurrent();
        assertThatThrownBy(() -> choose(null, "prdo")).isInstanceOf(UnknownContextException.class)
                .hasMessage("unknown context 'prdo'; known contexts: prod, stage");
        env.put("CONNECT_CONTEXT", "qa");
        assertThatThrownBy(() -> choose(null, null)).hasMessage("unknown context 'qa' (from CONNECT_CONTEXT); known contexts: prod, stage");
        env.put("CONNECT_CONTEXT", "");
        assertThatThrownBy(() -> choose(null, null)).hasMessage("CONNECT_CONTEXT is set but empty; set it to a context name, or unset it");
    }

    @Test
    void a_context_named_with_no_contexts_file_says_how_to_add_one() {
        assertThatThrownBy(() -> choose(null, "prod"))
                .hasMessage("unknown context 'prod': there are no contexts yet; add one with 'connect ha context add NAME FILE'");
    }

    @Test
    void a_broken_contexts_file_stops_a_command_that_would_use_its_current_context() throws IOException {
        Path file = tmp.resolve("xdg/connect/contexts.yaml");
        Files.createDirectories(file.getParent());
        Files.writeString(file, "current: prod\ncontexts: []\n");
        assertThatThrownBy(() -> choose(null, null)).hasMessage(file + ":1:10: current: no context is named 'prod'");
        assertThat(choose(Path.of("/a.yaml"), null)).as("-c never reads it").isEqualTo(Path.of("/a.yaml"));
    }

    @Test
    void the_contexts_file_looked_for_is_the_stores() {
        for (Map<String, String> e : new Map[]{Map.of("XDG_CONFIG_HOME", "/x", "HOME", "/h"), Map.of("HOME", "/h"),
                Map.of("XDG_CONFIG_HOME", "rel", "HOME", "/h"), Map.of("XDG_CONFIG_HOME", "", "HOME", "/h"), Map.of()}) {
            assertThat(CommandContext.contextsFile(e)).as(e.toString()).isEqualTo(ContextStore.defaultDir(e).resolve(ContextStore.FILE_NAME));
        }
    }
}
