package io.connectha.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.connectha.error.ConnectError;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * What {@code patroni edit-config} is asked to change, with patronictl's meanings: a YAML mapping merged in
 * first ({@code --file}, Patroni's patch_config: a null removes a key, mappings merge), then each
 * {@code KEY=VALUE} in order ({@code --set}, {@code --pg}), a dotted path whose value is read as YAML, so
 * that {@code 5} is an integer, {@code true} a boolean, {@code 8MB} a string and {@code null} removes the key.
 */
public final class DcsPatch {

    public static final String PARAMETERS = "postgresql.parameters";

    /** One {@code --set}: a dotted path and its value, NullNode to remove the key. */
    public record Setting(List<String> path, JsonNode value) {
        public String key() {
            return String.join(".", path);
        }
    }

    private static final ObjectMapper YAML = new YAMLMapper();

    private final ObjectNode file;
    private final List<Setting> settings;

    public DcsPatch(ObjectNode file, List<Setting> settings) {
        this.file = file;
        this.settings = List.copyOf(settings);
    }

    public boolean isEmpty() {
        return file == null && settings.isEmpty();
    }

    /** {@code --set KEY=VALUE}. */
    public static Setting set(String pair) {
        int eq = pair.indexOf('=');
        if (eq <= 0 || pair.substring(0, eq).isBlank()) {
            throw ConnectError.invalidInput("--set '" + pair + "' is not KEY=VALUE (a dotted path such as loop_wait=5 or "
                    + "postgresql.parameters.work_mem=8MB)");
        }
        String key = pair.substring(0, eq).strip();
        List<String> path = Arrays.asList(key.split("\\.", -1));
        if (path.stream().anyMatch(String::isEmpty)) {
            throw ConnectError.invalidInput("--set '" + pair + "': the key '" + key + "' has an empty part");
        }
        // a PostgreSQL setting may hold dots itself (auto_explain.log_min_duration): the rest of the path is its name
        if (key.startsWith(PARAMETERS + ".")) {
            path = List.of("postgresql", "parameters", key.substring(PARAMETERS.length() + 1));
        }
        return new Setting(path, value(pair.substring(eq + 1), key));
    }

    /** {@code --pg NAME=VALUE}: {@code --set postgresql.parameters.NAME=VALUE}. */
    public static Setting pg(String pair) {
        int eq = pair.indexOf('=');
        if (eq <= 0 || pair.substring(0, eq).isBlank()) {
            throw ConnectError.invalidInput("--pg '" + pair + "' is not NAME=VALUE (a PostgreSQL setting such as work_mem=8MB)");
        }
        String name = pair.substring(0, eq).strip();
        return new Setting(List.of("postgresql", "parameters", name), value(pair.substring(eq + 1), PARAMETERS + "." + name));
    }

    /** A value as YAML reads it, as patronictl's yaml.safe_load does; an empty value is null (the key goes). */
    static JsonNode value(String text, String key) {
        if (text.isBlank()) {
            return NullNode.getInstance();
        }
        try {
            JsonNode v = YAML.readTree(text);
            return v == null || v.isMissingNode() ? NullNode.getInstance() : v;
        } catch (IOException e) {
            throw ConnectError.invalidInput(key + ": '" + text + "' is not a YAML value");
        }
    }

    /** {@code --file}: a YAML mapping, {@code source} naming it in messages. */
    public static ObjectNode file(String yaml, String source) {
        JsonNode n;
        try {
            n = YAML.readTree(yaml);
        } catch (IOException e) {
            throw ConnectError.invalidInput(source + " is not YAML: " + (e instanceof com.fasterxml.jackson.core.JsonProcessingException j
                    ? j.getOriginalMessage() : String.valueOf(e.getMessage())).lines().findFirst().orElse(""));
        }
        if (n == null || n.isMissingNode() || n.isNull()) {
            return YAML.createObjectNode();
        }
        if (!n.isObject()) {
            throw ConnectError.invalidInput(source + " is not a YAML mapping of settings (such as 'loop_wait: 5')");
        }
        return (ObjectNode) n;
    }

    /** The configuration with this patch applied; {@code config} itself is left as it was. */
    public ObjectNode applyTo(ObjectNode config) {
        ObjectNode result = config.deepCopy();
        if (file != null) {
            merge(result, file);
        }
        for (Setting s : settings) {
            put(result, s.path(), s.value());
        }
        return result;
    }

    /** Patroni's patch_config: a null removes, a mapping into a mapping merges, anything else replaces. */
    static void merge(ObjectNode into, ObjectNode patch) {
        for (Iterator<Map.Entry<String, JsonNode>> it = patch.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode current = into.get(e.getKey());
            if (e.getValue().isNull()) {
                into.remove(e.getKey());
            } else if (e.getValue().isObject() && current != null && current.isObject()) {
                merge((ObjectNode) current, (ObjectNode) e.getValue());
            } else {
                into.set(e.getKey(), e.getValue().deepCopy());
            }
        }
    }

    /** patronictl's set_path_value: a missing or non-mapping parent becomes a mapping; a parent left empty goes. */
    private static void put(ObjectNode into, List<String> path, JsonNode value) {
        String key = path.get(0);
        if (path.size() == 1) {
            if (value.isNull()) {
                into.remove(key);
            } else {
                into.set(key, value.deepCopy());
            }
            return;
        }
        JsonNode child = into.get(key);
        if (child == null || !child.isObject()) {
            child = into.putObject(key);
        }
        put((ObjectNode) child, path.subList(1, path.size()), value);
        if (child.isEmpty()) {
            into.remove(key);
        }
    }

    /**
     * Every setting of a configuration by its dotted path, in document order: a mapping's entries are
     * paths of their own, except each PostgreSQL parameter, which is one path whatever its name holds.
     */
    public static Map<String, JsonNode> flatten(JsonNode config) {
        Map<String, JsonNode> flat = new java.util.LinkedHashMap<>();
        flatten(config, new ArrayList<>(), flat);
        return flat;
    }

    private static void flatten(JsonNode node, List<String> path, Map<String, JsonNode> flat) {
        if (node.isObject() && !node.isEmpty()) {
            node.fields().forEachRemaining(e -> {
                List<String> child = new ArrayList<>(path);
                child.add(e.getKey());
                if (String.join(".", path).equals(PARAMETERS)) {
                    flat.put(String.join(".", child), e.getValue());
                } else {
                    flatten(e.getValue(), child, flat);
                }
            });
        } else if (!path.isEmpty()) {
            flat.put(String.join(".", path), node);
        }
    }
}
