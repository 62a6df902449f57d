package io.connectha.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.connectha.support.CommandRun;
import io.connectha.support.TestClusters;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code connect ha context ...} and {@code --context}, each run as its own process with its own HOME and
 * XDG_CONFIG_HOME under a temporary directory, so the real ones are never read nor written.
 */
class ContextCommandsTest {

    @TempDir
    Path tmp;

    private Path contextsFile;
    private Path prod;
    private Path stage;
    private Map<String, String> env;

    @BeforeEach
    void two_cluster_files() throws IOException {
        env = Map.of("HOME", tmp.resolve("home").toString(), "XDG_CONFIG_HOME", tmp.resolve("xdg").toString());
        contextsFile = tmp.resolve("xdg/connect/contexts.yaml");
        Files.createDirectories(tmp.resolve("prod"));
        Files.createDirectories(tmp.resolve("stage"));
        prod = tmp.resolve("prod/cluster.yaml");
        stage = tmp.resolve("stage/cluster.yaml");
        Files.writeString(prod, TestClusters.minimal(tmp.resolve("prod")).replace("name: test", "name: prod-db"));
        Files.writeString(stage, TestClusters.minimal(tmp.resolve("stage")).replace("name: test", "name: stage-db"));
    }

    private CommandRun run(String... args) throws Exception {
        return CommandRun.inChild(tmp, env, args);
    }

    private CommandRun run(Map<String, String> more, String... args) throws Exception {
        Map<String, String> all = new java.util.HashMap<>(env);
        all.putAll(more);
        return CommandRun.inChild(tmp, all, args);
    }

    @Test
    void add_list_use_and_remove_with_their_exit_codes() throws Exception {
        CommandRun empty = run("ha", "context", "list");
        assertThat(empty.exitCode()).isZero();
        assertThat(empty.out()).isEqualTo("No contexts in " + contextsFile + "; add one with 'connect ha context add NAME FILE'.\n");

        // a relative FILE is kept as an absolute path
        CommandRun add = run("ha", "context", "add", "prod", "prod/cluster.yaml", "--use");
        assertThat(add.exitCode()).as(add.err()).isZero();
        assertThat(add.out()).isEqualTo("Context 'prod' names " + prod + " and is current.\n");
        assertThat(run("ha", "context", "add", "prod", prod.toString(), "--use").out())
                .isEqualTo("Context 'prod' already names " + prod + ": nothing changed.\n");
        assertThat(run("ha", "context", "add", "stage", stage.toString()).exitCode()).isZero();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(contextsFile))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(contextsFile.getParent()))).isEqualTo("rwx------");

        Files.writeString(stage, "name: [\n");
        CommandRun list = run("ha", "context", "list");
        assertThat(list.exitCode()).isZero();
        assertThat(list.out().lines().toList()).hasSize(4);
        assertThat(list.out().lines().toList().get(2)).matches("\\*\\s+prod\\s+" + java.util.regex.Pattern.quote(prod.toString()) + "\\s+prod-db");
        assertThat(list.out().lines().toList().get(3)).matches("\\s+stage\\s+" + java.util.regex.Pattern.quote(stage.toString())
                + "\\s+does not load: " + java.util.regex.Pattern.quote(stage.toString()) + ":2:1: invalid YAML: .*");
        JsonNode json = new ObjectMapper().readTree(run("ha", "context", "list", "-o", "json").out());
        assertThat(json.get("contexts_file").asText()).isEqualTo(contextsFile.toString());
        assertThat(json.get("current").asText()).isEqualTo("prod");
        assertThat(json.get("contexts").get(0).get("cluster").asText()).isEqualTo("prod-db");
        assertThat(json.get("contexts").get(1).get("cluster").isNull()).isTrue();
        assertThat(json.get("contexts").get(1).get("error").asText()).startsWith(stage + ":2:1: invalid YAML");

        CommandRun use = run("ha", "context", "use", "stage");
        assertThat(use.exitCode()).isZero();
        assertThat(use.out()).isEqualTo("Current context is now 'stage' (" + stage + ").\n");
        assertThat(run("ha", "context", "use", "stage").out()).isEqualTo("Context 'stage' is already current: nothing changed.\n");

        CommandRun notConfirmed = run("ha", "context", "remove", "stage");
        assertThat(notConfirmed.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(notConfirmed.err()).isEqualTo("connect: Remove context 'stage' (" + stage
                + "): not confirmed; stdin is not a terminal, so add --yes to go ahead\n");
        CommandRun dry = run("ha", "context", "remove", "stage", "--dry-run");
        assertThat(dry.out()).isEqualTo("Context 'stage' would be removed; it was current, so no context would be current (dry run: nothing written).\n");
        assertThat(Files.readString(contextsFile)).contains("name: stage");
        CommandRun remove = run("ha", "context", "remove", "stage", "--yes");
        assertThat(remove.exitCode()).isZero();
        assertThat(remove.out()).isEqualTo("Context 'stage' removed; it was current, so no context is current.\n");
        CommandRun again = run("ha", "context", "remove", "stage", "--yes");
        assertThat(again.exitCode()).isZero();
        assertThat(again.out()).isEqualTo("No context 'stage': nothing removed.\n");
        assertThat(Files.readString(contextsFile)).doesNotContain("stage").doesNotContain("current:");
    }

    @Test
    void add_refuses_a_file_that_does_not_load_a_bad_name_and_a_taken_name_without_force() throws Exception {
        Files.writeString(stage, "name: stage\nmembers: 3\n");
        CommandRun bad = run("ha", "context", "add", "stage", stage.toString());
        assertThat(bad.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(bad.err()).startsWith("connect: " + stage + ":2:").endsWith("\n").hasLineCount(1);
        assertThat(contextsFile).doesNotExist();

        CommandRun name = run("ha", "context", "add", "a/b", prod.toString());
        assertThat(name.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(name.err()).isEqualTo("connect: context name 'a/b' must be letters, digits, '.', '_' and '-', starting with a letter or digit\n");

        CommandRun dry = run("ha", "context", "add", "prod", prod.toString(), "--dry-run", "--use");
        assertThat(dry.exitCode()).isZero();
        assertThat(dry.out()).isEqualTo("Context 'prod' would name " + prod + " and be current (dry run: nothing written).\n");
        assertThat(contextsFile).doesNotExist();

        assertThat(run("ha", "context", "add", "prod", prod.toString()).exitCode()).isZero();
        Files.writeString(stage, TestClusters.minimal(tmp.resolve("stage")));
        CommandRun taken = run("ha", "context", "add", "prod", stage.toString());
        assertThat(taken.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(taken.err()).isEqualTo("connect: context 'prod' already names " + prod + "; give --force to point it at " + stage + "\n");
        CommandRun forced = run("ha", "context", "add", "prod", stage.toString(), "--force", "-o", "json");
        assertThat(forced.exitCode()).isZero();
        JsonNode change = new ObjectMapper().readTree(forced.out());
        assertThat(change.get("action").asText()).isEqualTo("add");
        assertThat(change.get("cluster_file").asText()).isEqualTo(stage.toString());
        assertThat(change.get("changed").asBoolean()).isTrue();
        assertThat(change.get("dry_run").asBoolean()).isFalse();
    }

    @Test
    void context_and_connect_context_choose_the_cluster_file_and_c_with_context_is_a_usage_error() throws Exception {
        run("ha", "context", "add", "prod", prod.toString(), "--use");
        run("ha", "context", "add", "stage", stage.toString());
        assertThat(clusterName(run("ha", "config", "show", "-o", "json"))).as("the current context").isEqualTo("prod-db");
        assertThat(clusterName(run("ha", "--context", "stage", "config", "show", "-o", "json"))).isEqualTo("stage-db");
        assertThat(clusterName(run("ha", "config", "show", "-o", "json", "--context=stage"))).isEqualTo("stage-db");
        assertThat(clusterName(run(Map.of("CONNECT_CONTEXT", "stage"), "ha", "config", "show", "-o", "json"))).isEqualTo("stage-db");
        assertThat(clusterName(run(Map.of("CONNECT_CONTEXT", "stage"), "ha", "--context", "prod", "config", "show", "-o", "json")))
                .isEqualTo("prod-db");
        assertThat(clusterName(run(Map.of("CONNECT_CLUSTER", stage.toString()), "ha", "config", "show", "-o", "json")))
                .as("CONNECT_CLUSTER over the current context").isEqualTo("stage-db");
        assertThat(clusterName(run("ha", "-c", stage.toString(), "config", "show", "-o", "json"))).isEqualTo("stage-db");

        CommandRun both = run("ha", "-c", prod.toString(), "--context", "stage", "lab", "status");
        assertThat(both.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(both.err()).isEqualTo("connect: -c/--cluster and --context both choose the cluster file; give one of them\n");

        CommandRun typo = run("ha", "--context", "stgae", "config", "show");
        assertThat(typo.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(typo.err()).isEqualTo("connect: unknown context 'stgae'; did you mean 'stage'?\n");
        CommandRun far = run("ha", "context", "use", "qa");
        assertThat(far.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(far.err()).isEqualTo("connect: unknown context 'qa'; known contexts: prod, stage\n");
    }

    @Test
    void a_broken_contexts_file_is_named_at_its_line_and_column() throws Exception {
        Files.createDirectories(contextsFile.getParent());
        Files.writeString(contextsFile, "current: prod\ncontexts:\n  - name: prod\n    file: " + prod + "\n");
        CommandRun r = run("ha", "config", "show");
        assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).isEqualTo("connect: " + contextsFile + ":4:5: contexts[0]: unknown field 'file' (known fields: cluster_file, name)\n");
        assertThat(run("ha", "context", "list").err()).isEqualTo(r.err());
    }

    @Test
    void without_xdg_config_home_the_contexts_live_under_home() throws Exception {
        Map<String, String> homeOnly = Map.of("HOME", tmp.resolve("home").toString());
        CommandRun add = CommandRun.inChild(tmp, homeOnly, "ha", "context", "add", "prod", prod.toString());
        assertThat(add.exitCode()).as(add.err()).isZero();
        assertThat(tmp.resolve("home/.config/connect/contexts.yaml")).exists();
        assertThat(contextsFile).doesNotExist();
    }

    private static String clusterName(CommandRun r) throws IOException {
        assertThat(r.exitCode()).as(r.err()).isZero();
        return new ObjectMapper().readTree(r.out()).get("name").asText();
    }
}
