package io.connectha.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** libpq's password file: {@code hostname:port:database:username:password}, {@code *} matching anything, {@code \} escaping. */
public final class PgpassFile {

    private record Entry(String host, String port, String database, String user, String password) {
        boolean matches(String h, int p, String db, String u) {
            return field(host, h) && field(port, Integer.toString(p)) && field(database, db) && field(user, u);
        }

        private static boolean field(String pattern, String value) {
            return pattern.equals("*") || pattern.equals(value);
        }
    }

    private final List<Entry> entries;

    private PgpassFile(List<Entry> entries) {
        this.entries = entries;
    }

    public static Path defaultPath(Map<String, String> environment) {
        String explicit = environment.get("PGPASSFILE");
        if (explicit != null && !explicit.isEmpty()) {
            return Path.of(explicit);
        }
        return Path.of(System.getProperty("user.home"), ".pgpass");
    }

    public static PgpassFile read(Path path) {
        try {
            return parse(Files.readAllLines(path));
        } catch (IOException e) {
            throw io.connectha.error.ConnectError.invalidInput("cannot read " + path + ": " + e.getMessage());
        }
    }

    public static PgpassFile parse(List<String> lines) {
        List<Entry> entries = new ArrayList<>();
        for (String line : lines) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            List<String> fields = split(line);
            if (fields.size() == 5) {
                entries.add(new Entry(fields.get(0), fields.get(1), fields.get(2), fields.get(3), fields.get(4)));
            }
        }
        return new PgpassFile(entries);
    }

    public Optional<String> find(String host, int port, String database, String user) {
        return entries.stream().filter(e -> e.matches(host, port, database, user)).map(Entry::password).findFirst();
    }

    private static List<String> split(String line) {
        List<String> fields = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\\' && i + 1 < line.length()) {
                current.append(line.charAt(++i));
            } else if (c == ':' && fields.size() < 4) {
                fields.add(current.toString());
                current.setLength(0);
            } else {
                current.append(c);
            }
        }
        fields.add(current.toString());
        return fields;
    }

    /** Escapes a value for a pgpass field. */
    public static String escape(String value) {
        return value.replace("\\", "\\\\").replace(":", "\\:");
    }
}
