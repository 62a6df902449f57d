package io.connectha.config;

/** {@code KEY=value} lines that systemd's EnvironmentFile, dotenv loaders and POSIX shells read alike. */
public final class EnvFiles {

    private EnvFiles() {
    }

    /** Reads what {@link #line} writes: {@code KEY=value} or {@code KEY='value'}; comments and blanks skipped. */
    public static java.util.Map<String, String> parse(String text) {
        java.util.Map<String, String> env = new java.util.LinkedHashMap<>();
        for (String line : text.split("\n")) {
            int eq = line.indexOf('=');
            if (line.isBlank() || line.startsWith("#") || eq < 1) {
                continue;
            }
            String value = line.substring(eq + 1);
            if (value.length() >= 2 && value.startsWith("'") && value.endsWith("'")) {
                value = value.substring(1, value.length() - 1).replace("'\"'\"'", "'");
            }
            env.put(line.substring(0, eq), value);
        }
        return env;
    }

    public static String line(String key, String value) {
        if (value.matches("[A-Za-z0-9._@%+=:,/-]*")) {
            return key + "=" + value + "\n";
        }
        // single quotes: no expansion in sh or dotenv; systemd strips them too
        return key + "='" + value.replace("'", "'\"'\"'") + "'\n";
    }
}
