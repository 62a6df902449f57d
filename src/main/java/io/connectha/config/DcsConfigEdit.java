package io.connectha.config;

import com.fasterxml.jackson.databind.JsonNode;
import io.connectha.patroni.RtoBudget;

import java.util.List;

/**
 * What {@code patroni edit-config} did, or with {@code dryRun} would do.
 *
 * @param written         whether the config key now holds the change (false for a dry run and for no change)
 * @param needsRestart    changed parameters PostgreSQL reads only at start
 * @param restartSource   where {@code needsRestart} was judged: the leader's pg_settings, or the built-in list; null without parameters
 * @param revisionBefore  the key's mod_revision when it was read
 * @param revisionAfter   its mod_revision after the write; null when nothing was written
 * @param rtoBudget       the worst-case node-loss RTO with the config as written (or as it is, without a change)
 * @param timingRule      why the timings break Patroni's rule (written with --force), or null
 */
public record DcsConfigEdit(String key, boolean dryRun, boolean written, List<DcsConfigEditor.Change> changes,
                            List<String> needsRestart, String restartSource, long revisionBefore, Long revisionAfter,
                            RtoBudget rtoBudget, String timingRule, JsonNode configBefore, JsonNode configAfter) {

    private static final com.fasterxml.jackson.databind.ObjectMapper YAML = com.fasterxml.jackson.dataformat.yaml.YAMLMapper.builder()
            .disable(com.fasterxml.jackson.dataformat.yaml.YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(com.fasterxml.jackson.dataformat.yaml.YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .enable(com.fasterxml.jackson.dataformat.yaml.YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR)
            .build();

    /** A unified diff of the config as YAML, before and after, as patronictl shows it before asking. */
    public List<String> unifiedDiff() {
        List<String> before = yaml(configBefore).lines().toList();
        List<String> after = yaml(configAfter).lines().toList();
        return com.github.difflib.UnifiedDiffUtils.generateUnifiedDiff(key + " (revision " + revisionBefore + ")",
                key + (revisionAfter != null ? " (revision " + revisionAfter + ")" : dryRun ? " (dry run)" : " (to write)"), before,
                com.github.difflib.DiffUtils.diff(before, after), 3);
    }

    /** The config as YAML, the way it is shown and diffed. */
    public static String yaml(JsonNode config) {
        try {
            return YAML.writeValueAsString(config);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public boolean changed() {
        return !changes.isEmpty();
    }

    public static DcsConfigEdit of(DcsConfigEditor.Plan plan, boolean dryRun, Long revisionAfter) {
        return new DcsConfigEdit(plan.read().key(), dryRun, revisionAfter != null, plan.changes(), plan.restart().parameters(),
                plan.restart().source(), plan.read().modRevision(), revisionAfter, plan.budget(), plan.timingRule(),
                plan.read().config(), plan.after());
    }
}
