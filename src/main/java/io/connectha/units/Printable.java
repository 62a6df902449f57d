package io.connectha.units;

/**
 * Values from outside (member names, cluster-file fields, server messages, arguments) made safe to
 * print on a terminal: a name holding {@code ESC[31m} must not colour the screen, and a value holding
 * a newline must not end a one-line message or a table row early. Characters that a terminal would
 * act on are written as visible escapes instead, in the notation people know from C and the shell.
 */
public final class Printable {

    private Printable() {
    }

    /**
     * {@code s} with every control character written visibly: {@code \n}, {@code \r}, {@code \t},
     * {@code \e} (escape), {@code \xNN} for the other C0 and C1 controls and DEL, and {@code \u202e}
     * style for the Unicode direction overrides that can make text read backwards. Everything else,
     * non-ASCII letters and symbols included, is kept. A backslash is kept as it is, so ordinary paths
     * and patterns print unchanged.
     */
    public static String visible(String s) {
        if (s == null) {
            return null;
        }
        int i = 0;
        while (i < s.length() && !needsEscape(s.charAt(i))) {
            i++;
        }
        if (i == s.length()) {
            return s;
        }
        StringBuilder sb = new StringBuilder(s.length() + 8).append(s, 0, i);
        for (; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!needsEscape(c)) {
                sb.append(c);
                continue;
            }
            switch (c) {
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '\u001b' -> sb.append("\\e");
                default -> sb.append(c <= 0xff ? String.format("\\x%02x", (int) c) : String.format("\\u%04x", (int) c));
            }
        }
        return sb.toString();
    }

    private static boolean needsEscape(char c) {
        return c < 0x20 || (c >= 0x7f && c <= 0x9f)
                || (c >= '\u202a' && c <= '\u202e') || (c >= '\u2066' && c <= '\u2069');
    }
}
