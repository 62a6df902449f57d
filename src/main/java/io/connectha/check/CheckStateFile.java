package io.connectha.check;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.connectha.config.ConfigFileWriter;
import io.connectha.error.ConnectError;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The state file of the "changed" items: JSON that names itself ({@code "kind": "connect-check-state"}),
 * so that a path that points at some other file is refused rather than overwritten. Written atomically
 * (temporary file, then rename) with mode 0600: it holds the DCS configuration's values.
 */
public final class CheckStateFile {

    static final String KIND = "connect-check-state";
    static final int VERSION = 1;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path path;

    public CheckStateFile(Path path) {
        this.path = path.toAbsolutePath();
    }

    public Path path() {
        return path;
    }

    /** The state last recorded; {@link CheckState#none} when the file does not exist yet (the first run ever). */
    public CheckState read(String cluster) {
        String text;
        try {
            text = Files.readString(path);
        } catch (NoSuchFileException e) {
            return CheckState.none(cluster);
        } catch (IOException e) {
            throw ConnectError.io("read the state file", path, e);
        }
        return parse(text, cluster);
    }

    CheckState parse(String text, String cluster) {
        JsonNode n;
        try {
            n = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw notOurs("it is not JSON");
        }
        if (n == null || !n.isObject() || !KIND.equals(n.path("kind").asText(null))) {
            throw notOurs("it has no \"kind\": \"" + KIND + "\"");
        }
        if (n.path("version").asInt(-1) != VERSION) {
            throw notOurs("its version is " + n.path("version") + ", this connect writes " + VERSION);
        }
        String recorded = n.path("cluster").asText(null);
        if (recorded != null && !recorded.equals(cluster)) {
            throw new ConnectError(ConnectError.Kind.FAILURE, "state file " + path + " is for cluster '" + recorded + "', not '"
                    + cluster + "': give each cluster its own --state-file");
        }
        JsonNode t = n.path("timeline");
        JsonNode c = n.path("config");
        if (!t.isMissingNode() && !t.isNull() && !t.path("value").isInt()
                || !c.isMissingNode() && !c.isNull() && (!c.path("hash").isTextual() || !c.path("settings").isObject())) {
            throw notOurs("its timeline or config entry is damaged");
        }
        Map<String, String> settings = new LinkedHashMap<>();
        c.path("settings").fields().forEachRemaining(e -> settings.put(e.getKey(), e.getValue().asText()));
        return new CheckState(cluster, t.path("value").isInt() ? t.path("value").intValue() : null,
                c.path("hash").isTextual() ? c.path("hash").asText() : null, settings);
    }

    private ConnectError notOurs(String why) {
        return new ConnectError(ConnectError.Kind.FAILURE, "state file " + path + " is not connect's check state (" + why
                + "); give a new path or remove the file");
    }

    public void write(CheckState state, Instant at) {
        ObjectNode n = JSON.createObjectNode();
        n.put("kind", KIND).put("version", VERSION).put("cluster", state.cluster()).put("written_at", at.toString());
        if (state.timeline() != null) {
            n.putObject("timeline").put("value", state.timeline());
        }
        if (state.configHash() != null) {
            ObjectNode c = n.putObject("config");
            c.put("hash", state.configHash());
            ObjectNode s = c.putObject("settings");
            new java.util.TreeMap<>(state.configSettings()).forEach(s::put);
        }
        try {
            Files.createDirectories(path.getParent());
            ConfigFileWriter.writeAtomically(path, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(n) + "\n",
                    PosixFilePermissions.fromString("rw-------"));
        } catch (IOException e) {
            throw ConnectError.io("write the state file", path, e);
        }
    }
}
