package io.connectha.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.connectha.error.ConnectError;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class DcsPatchTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static ObjectNode config() throws Exception {
        return (ObjectNode) JSON.readTree("{\"ttl\":10,\"loop_wait\":2,\"retry_timeout\":4,\"postgresql\":{\"use_pg_rewind\":true,"
                + "\"parameters\":{\"max_connections\":100,\"work_mem\":\"4MB\"}}}");
    }

    @Test
    void values_are_typed_as_yaml_reads_them() {
        assertThat(DcsPatch.set("loop_wait=5").value().isInt()).isTrue();
        assertThat(DcsPatch.set("synchronous_mode=true").value().isBoolean()).isTrue();
        assertThat(DcsPatch.set("postgresql.parameters.work_mem=8MB").value().asText()).isEqualTo("8MB");
        assertThat(DcsPatch.set("ttl=null").value().isNull()).isTrue();
        assertThat(DcsPatch.set("ttl=").value().isNull()).isTrue();
    }

    @Test
    void a_parameter_name_keeps_its_dots_and_pg_is_a_shorthand() {
        assertThat(DcsPatch.set("postgresql.parameters.auto_explain.log_min_duration=1s").path())
                .containsExactly("postgresql", "parameters", "auto_explain.log_min_duration");
        assertThat(DcsPatch.pg("work_mem=8MB")).isEqualTo(DcsPatch.set("postgresql.parameters.work_mem=8MB"));
    }

    @Test
    void set_changes_only_its_key_and_keeps_the_document_order() throws Exception {
        ObjectNode after = new DcsPatch(null, List.of(DcsPatch.set("loop_wait=5"), DcsPatch.pg("work_mem=8MB"))).applyTo(config());
        assertThat(JSON.writeValueAsString(after)).isEqualTo("{\"ttl\":10,\"loop_wait\":5,\"retry_timeout\":4,\"postgresql\":"
                + "{\"use_pg_rewind\":true,\"parameters\":{\"max_connections\":100,\"work_mem\":\"8MB\"}}}");
    }

    @Test
    void null_removes_a_key_and_an_emptied_parent_goes_with_it() throws Exception {
        ObjectNode after = new DcsPatch(null, List.of(DcsPatch.pg("max_connections=null"), DcsPatch.pg("work_mem=null"),
                DcsPatch.set("postgresql.use_pg_rewind=null"))).applyTo(config());
        assertThat(after.has("postgresql")).isFalse();
        assertThat(after.get("ttl").asInt()).isEqualTo(10);
    }

    @Test
    void a_file_merges_mappings_and_its_nulls_remove_then_sets_apply_on_top() throws Exception {
        ObjectNode file = DcsPatch.file("loop_wait: 3\npostgresql:\n  parameters:\n    work_mem: null\n    shared_buffers: 256MB\n", "patch.yaml");
        ObjectNode after = new DcsPatch(file, List.of(DcsPatch.set("loop_wait=4"))).applyTo(config());
        assertThat(after.get("loop_wait").asInt()).isEqualTo(4);
        JsonNode parameters = after.get("postgresql").get("parameters");
        assertThat(parameters.has("work_mem")).isFalse();
        assertThat(parameters.get("shared_buffers").asText()).isEqualTo("256MB");
        assertThat(parameters.get("max_connections").asInt()).isEqualTo(100);
        assertThat(after.get("postgresql").get("use_pg_rewind").asBoolean()).isTrue();
    }

    @Test
    void the_changes_name_each_setting_with_its_values_before_and_after() throws Exception {
        ObjectNode before = config();
        ObjectNode after = new DcsPatch(null, List.of(DcsPatch.set("loop_wait=5"), DcsPatch.pg("work_mem=null"),
                DcsPatch.pg("shared_buffers=128MB"))).applyTo(before);
        List<DcsConfigEditor.Change> changes = DcsConfigEditor.changes(before, after);
        assertThat(changes).extracting(DcsConfigEditor.Change::key)
                .containsExactly("loop_wait", "postgresql.parameters.work_mem", "postgresql.parameters.shared_buffers");
        assertThat(changes.get(0).before().asInt()).isEqualTo(2);
        assertThat(changes.get(0).after().asInt()).isEqualTo(5);
        assertThat(changes.get(1).after()).isNull();
        assertThat(changes.get(2).before()).isNull();
        assertThat(DcsConfigEditor.changes(before, new DcsPatch(null, List.of(DcsPatch.set("loop_wait=2"))).applyTo(before))).isEmpty();
    }

    @Test
    void bad_pairs_and_files_are_one_line_naming_what_was_given() {
        assertThatThrownBy(() -> DcsPatch.set("loop_wait")).isInstanceOf(ConnectError.class)
                .hasMessageContaining("--set 'loop_wait' is not KEY=VALUE");
        assertThatThrownBy(() -> DcsPatch.set("=5")).hasMessageContaining("is not KEY=VALUE");
        assertThatThrownBy(() -> DcsPatch.set("postgresql..x=5")).hasMessageContaining("has an empty part");
        assertThatThrownBy(() -> DcsPatch.pg("work_mem")).hasMessageContaining("--pg 'work_mem' is not NAME=VALUE");
        assertThatThrownBy(() -> DcsPatch.file("- a\n- b\n", "patch.yaml")).hasMessage("patch.yaml is not a YAML mapping of settings (such as 'loop_wait: 5')");
    }
}
