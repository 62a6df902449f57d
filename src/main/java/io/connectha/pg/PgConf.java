package io.connectha.pg;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** postgresql.conf text: commented sections of {@code name = value} lines, quoted only where PostgreSQL needs it. */
public final class PgConf {

    // identifiers and numbers (with a unit) may go bare; anything else, an address included, is quoted
    private static final Pattern BARE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*|-?\\d+(\\.\\d+)?[A-Za-z]*");

    public record Section(String title, Map<String, String> settings) {
    }

    private PgConf() {
    }

    public static String quote(String value) {
        return BARE.matcher(value).matches() ? value : "'" + value.replace("'", "''") + "'";
    }

    public static String render(List<String> headerLines, List<Section> sections) {
        StringBuilder sb = new StringBuilder();
        headerLines.forEach(l -> sb.append("# ").append(l).append('\n'));
        for (Section section : sections) {
            if (section.settings().isEmpty()) {
                continue;
            }
            sb.append("\n# ").append(section.title()).append('\n');
            section.settings().forEach((k, v) -> sb.append(k).append(" = ").append(quote(v)).append('\n'));
        }
        return sb.toString();
    }

    /** All settings of all sections, later sections winning. */
    public static Map<String, String> flatten(List<Section> sections) {
        Map<String, String> all = new LinkedHashMap<>();
        sections.forEach(s -> all.putAll(s.settings()));
        return all;
    }
}
