package io.connectha.config;

/** {@code KEY=value} lines that systemd's EnvironmentFile, dotenv loaders and POSIX shells read alike. */
public final class EnvFiles {

    private EnvFiles() {
    }

    public static String line(String key, String value) {
        if (value.matches("[A-Za-z0-9._@%+=:,/-]*")) {
            return key + "=" + value + "\n";
        }
        // single quotes: no expansion in sh or dotenv; systemd strips them too
        return key + "='" + value.replace("'", "'\"'\"'") + "'\n";
    }
}
