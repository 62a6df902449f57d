package io.connectha.config;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.github.difflib.DiffUtils;
import com.github.difflib.UnifiedDiffUtils;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What writing one generated file would do to what is on disk.
 *
 * @param action  create, update (content differs), chmod (only the mode differs) or unchanged
 * @param backup  where the previous version was kept, once written
 */
public record FileChange(String path, Action action, String mode, boolean secret,
                         @JsonIgnore GeneratedFile file, @JsonIgnore Optional<String> previous,
                         Optional<String> backup) {

    public enum Action { create, update, chmod, unchanged }

    private static final Pattern HASHES = Pattern.compile("(SCRAM-SHA-256\\$|\\$6\\$)\\S+");

    public boolean changes() {
        return action != Action.unchanged;
    }

    FileChange withBackup(Path backupPath) {
        return new FileChange(path, action, mode, secret, file, previous, Optional.ofNullable(backupPath).map(Path::toString));
    }

    /**
     * A unified diff against what is on disk. Secret files show only that they differ; hashes and
     * verifiers in other files are masked.
     */
    public List<String> unifiedDiff() {
        if (action == Action.unchanged || action == Action.chmod) {
            return List.of();
        }
        if (secret) {
            return List.of("--- a/" + path, "+++ b/" + path, "@@ secret file: contents not shown @@");
        }
        List<String> before = previous.map(p -> p.lines().toList()).orElse(List.of());
        List<String> after = file.content().lines().toList();
        List<String> diff = UnifiedDiffUtils.generateUnifiedDiff(
                previous.isPresent() ? "a/" + path : "/dev/null", "b/" + path, before, DiffUtils.diff(before, after), 3);
        return diff.stream().map(line -> HASHES.matcher(line).replaceAll("$1<hidden>")).toList();
    }
}
