package io.connectha.check;

import com.fasterxml.jackson.databind.JsonNode;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Patroni's DCS configuration as settings by dotted name ({@code loop_wait},
 * {@code postgresql.parameters.work_mem}) and a hash of them. The hash is of the sorted settings, not of
 * Patroni's JSON text, so that the order Patroni happens to write keys in is not a change.
 */
public record ConfigFingerprint(String hash, Map<String, String> settings) {

    public static ConfigFingerprint of(JsonNode config) {
        Map<String, String> settings = new TreeMap<>();
        flatten("", config, settings);
        return new ConfigFingerprint(hash(settings), settings);
    }

    /** A list (pg_hba, for one) is one setting: its JSON text. */
    private static void flatten(String prefix, JsonNode n, Map<String, String> into) {
        if (n.isObject() && n.size() > 0) {
            n.fields().forEachRemaining(e -> flatten(prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey(), e.getValue(), into));
        } else if (!prefix.isEmpty() && !n.isNull()) {
            into.put(prefix, n.isValueNode() ? n.asText() : n.toString());
        }
    }

    static String hash(Map<String, String> settings) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (Map.Entry<String, String> e : new TreeMap<>(settings).entrySet()) {
                // lengths first, so that no key or value can be cut to look like another pair
                sha.update((e.getKey().length() + ":" + e.getKey() + "=" + e.getValue().length() + ":" + e.getValue() + "\n")
                        .getBytes(StandardCharsets.UTF_8));
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /** The settings that differ from {@code before}, by name; added and removed ones have a null side. */
    public List<ItemFacts.SettingChange> changesSince(Map<String, String> before) {
        List<ItemFacts.SettingChange> changes = new ArrayList<>();
        TreeSet<String> keys = new TreeSet<>(before.keySet());
        keys.addAll(settings.keySet());
        for (String k : keys) {
            String was = before.get(k);
            String is = settings.get(k);
            if (was == null ? is != null : !was.equals(is)) {
                changes.add(new ItemFacts.SettingChange(k, was, is));
            }
        }
        return changes;
    }
}
