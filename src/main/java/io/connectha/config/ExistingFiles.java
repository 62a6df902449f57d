package io.connectha.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What a previous run left in the output directory, read to keep salted secrets stable. */
public final class ExistingFiles {

    private static final Pattern USERLIST_LINE = Pattern.compile("^\"((?:[^\"]|\"\")*)\"\\s+\"(SCRAM-SHA-256\\$[^\"]+)\"");
    private static final Pattern ROLE_SQL = Pattern.compile("ALTER ROLE \"((?:[^\"]|\"\")*)\" .*PASSWORD '(SCRAM-SHA-256\\$[^']+)'");

    private final Path dir;

    public ExistingFiles(Path dir) {
        this.dir = dir;
    }

    public Optional<String> read(String relativePath) {
        Path file = dir.resolve(relativePath);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(Files.readString(file));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** A verifier for the role in the previous userlist.txt or roles.sql. */
    public Optional<String> scramVerifier(String role) {
        for (String file : new String[]{"pgbouncer/userlist.txt", "postgresql/roles.sql"}) {
            Optional<String> found = read(file).flatMap(text -> text.lines()
                    .map(line -> match(line, role))
                    .flatMap(Optional::stream)
                    .findFirst());
            if (found.isPresent()) {
                return found;
            }
        }
        return Optional.empty();
    }

    private static Optional<String> match(String line, String role) {
        for (Pattern p : new Pattern[]{USERLIST_LINE, ROLE_SQL}) {
            Matcher m = p.matcher(line);
            if (m.find() && m.group(1).replace("\"\"", "\"").equals(role)) {
                return Optional.of(m.group(2));
            }
        }
        return Optional.empty();
    }

    /** The value of a line {@code prefix<value>} in a previous file, such as a password hash. */
    public Optional<String> valueAfter(String relativePath, String prefix) {
        return read(relativePath).flatMap(text -> text.lines()
                .map(String::strip)
                .filter(l -> l.startsWith(prefix))
                .map(l -> l.substring(prefix.length()).strip())
                .findFirst());
    }
}
