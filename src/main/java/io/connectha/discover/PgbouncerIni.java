package io.connectha.discover;

import io.connectha.error.ConnectError;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a pgbouncer.ini says: the listener, the {@code [databases]} entries (an entry whose
 * {@code dbname=} differs from its name is an alias), the pool mode and the admin users.
 */
public record PgbouncerIni(String listenAddr, Integer listenPort, String poolMode, List<String> adminUsers,
                           List<Database> databases, String unixSocketDir, Integer defaultPoolSize, Integer maxClientConn,
                           String authFile) {

    /** One {@code [databases]} entry: {@code name = host=H port=P dbname=D}; host and port may be absent. */
    public record Database(String name, String dbname, String host, Integer port) {
        public boolean isAlias() {
            return !name.equals(dbname);
        }
    }

    public static PgbouncerIni read(Path file) {
        try {
            return parse(Files.readString(file));
        } catch (NoSuchFileException e) {
            throw ConnectError.invalidInput("--pgbouncer-config " + file + ": no such file");
        } catch (IOException e) {
            throw ConnectError.invalidInput("--pgbouncer-config " + file + ": " + ConnectError.ioReason(e));
        }
    }

    static PgbouncerIni parse(String text) {
        String section = "";
        Map<String, String> settings = new LinkedHashMap<>();
        List<Database> databases = new ArrayList<>();
        for (String raw : text.split("\n")) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith(";") || line.startsWith("#")) {
                continue;
            }
            if (line.startsWith("[") && line.endsWith("]")) {
                section = line.substring(1, line.length() - 1).strip().toLowerCase(java.util.Locale.ROOT);
                continue;
            }
            int eq = line.indexOf('=');
            if (eq <= 0) {
                continue;
            }
            String key = unquote(line.substring(0, eq).strip());
            String value = line.substring(eq + 1).strip();
            if (section.equals("databases")) {
                if (!key.equals("*")) {
                    Map<String, String> conn = connectionString(value);
                    String port = conn.get("port");
                    databases.add(new Database(key, conn.getOrDefault("dbname", key), conn.get("host"),
                            port == null ? null : integer(port)));
                }
            } else if (section.equals("pgbouncer")) {
                settings.put(key.toLowerCase(java.util.Locale.ROOT), value);
            }
        }
        List<String> admins = new ArrayList<>();
        String adminList = settings.get("admin_users");
        if (adminList != null) {
            for (String a : adminList.split(",")) {
                if (!a.isBlank()) {
                    admins.add(a.strip());
                }
            }
        }
        return new PgbouncerIni(settings.get("listen_addr"), integer(settings.get("listen_port")), settings.get("pool_mode"),
                List.copyOf(admins), List.copyOf(databases), settings.get("unix_socket_dir"),
                integer(settings.get("default_pool_size")), integer(settings.get("max_client_conn")), settings.get("auth_file"));
    }

    /** libpq's {@code key=value} pairs, values optionally in single quotes. */
    static Map<String, String> connectionString(String text) {
        Map<String, String> pairs = new LinkedHashMap<>();
        int i = 0;
        while (i < text.length()) {
            while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
                i++;
            }
            int eq = text.indexOf('=', i);
            if (eq < 0) {
                break;
            }
            String key = text.substring(i, eq).strip();
            i = eq + 1;
            while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
                i++;
            }
            StringBuilder value = new StringBuilder();
            if (i < text.length() && text.charAt(i) == '\'') {
                i++;
                while (i < text.length() && text.charAt(i) != '\'') {
                    if (text.charAt(i) == '\\' && i + 1 < text.length()) {
                        i++;
                    }
                    value.append(text.charAt(i++));
                }
                i++;
            } else {
                while (i < text.length() && !Character.isWhitespace(text.charAt(i))) {
                    value.append(text.charAt(i++));
                }
            }
            pairs.put(key, value.toString());
        }
        return pairs;
    }

    private static String unquote(String name) {
        return name.length() > 1 && name.startsWith("\"") && name.endsWith("\"") ? name.substring(1, name.length() - 1) : name;
    }

    private static Integer integer(String s) {
        if (s == null) {
            return null;
        }
        try {
            return Integer.parseInt(s.strip());
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
