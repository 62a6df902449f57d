package io.connectha.cluster;

import java.util.Locale;
import java.util.Set;

/** Recognises the passwords people leave in templates: CHANGE_ME, &lt;password&gt;, xxxx, ${SECRET}. */
public final class Placeholders {

    private static final Set<String> WORDS = Set.of("changeme", "changethis", "changeit", "replaceme", "password",
            "passwd", "secret", "placeholder", "todo", "fixme", "tbd", "default", "example", "test", "admin",
            "postgres", "pgbouncer", "patroni", "replicator", "yourpassword", "mypassword", "insertpasswordhere",
            "123456", "12345678", "letmein", "none", "null", "empty");

    private Placeholders() {
    }

    public static boolean isPlaceholder(String value) {
        if (value == null || value.isBlank()) {
            return true;
        }
        String trimmed = value.trim();
        if ((trimmed.startsWith("<") && trimmed.endsWith(">")) || (trimmed.startsWith("${") && trimmed.endsWith("}"))) {
            return true;
        }
        if (trimmed.chars().distinct().count() == 1) {
            return true;
        }
        String normalized = trimmed.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
        return WORDS.contains(normalized);
    }
}
