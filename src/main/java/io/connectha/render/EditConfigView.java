package io.connectha.render;

import com.fasterxml.jackson.databind.JsonNode;
import io.connectha.config.DcsConfigEdit;
import io.connectha.config.DcsConfigEditor;
import io.connectha.patroni.RtoBudget;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/** {@code patroni edit-config}: the live config as YAML, or a change as a diff with what it means. */
public final class EditConfigView {

    private EditConfigView() {
    }

    /** The config as YAML, then YAML comments (the output still loads) for its revision and RTO budget. */
    public static void show(PrintWriter out, String key, long revision, JsonNode config, RtoBudget budget) {
        out.print(DcsConfigEdit.yaml(config));
        out.println("# " + key + " at revision " + revision);
        out.println("# " + budget(budget));
    }

    public static void edit(PrintWriter out, DcsConfigEdit e) {
        if (!e.changed()) {
            out.println("no change: " + e.key() + " already holds this (revision " + e.revisionBefore() + "); nothing written");
            return;
        }
        preview(out, e);
        out.println(e.dryRun() ? "dry run: nothing written (revision " + e.revisionBefore() + ")"
                : "written: revision " + e.revisionBefore() + " -> " + e.revisionAfter());
    }

    /** What a change would do, before the question: the diff, each change, the restart and the budget. */
    public static void preview(PrintWriter out, DcsConfigEdit e) {
        e.unifiedDiff().forEach(out::println);
        out.println();
        for (DcsConfigEditor.Change c : e.changes()) {
            out.println("  " + c.key() + ": " + value(c.before()) + " -> " + value(c.after()));
        }
        if (!e.needsRestart().isEmpty()) {
            out.println("needs a restart: " + String.join(", ", e.needsRestart()) + " (" + e.restartSource()
                    + "); then run: connect ha patroni restart --pending");
        }
        if (e.timingRule() != null) {
            out.println("WARNING: Patroni's timing rule is broken (--force): " + e.timingRule());
        }
        out.println(budget(e.rtoBudget()));
        out.flush();
    }

    /** "worst-case node-loss RTO 13.0 s (ttl 10.0 s + promotion 2.0 s + HAProxy 0.5 s + reconnect 0.5 s), rto_target 30.0 s". */
    static String budget(RtoBudget b) {
        StringBuilder sb = new StringBuilder("worst-case node-loss RTO ").append(seconds(b.worstCase())).append(" (");
        List<RtoBudget.Term> terms = b.terms();
        for (int i = 0; i < terms.size(); i++) {
            sb.append(i == 0 ? "" : " + ").append(terms.get(i).name().equals("haproxy") ? "HAProxy" : terms.get(i).name()).append(' ')
                    .append(seconds(terms.get(i).value()));
        }
        sb.append("), rto_target ").append(seconds(b.target()));
        return sb.append(b.overTarget() ? ": OVER TARGET" : "").toString();
    }

    private static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    }

    private static String value(JsonNode v) {
        if (v == null) {
            return "(none)";
        }
        return v.isTextual() ? v.asText() : v.toString();
    }

    // -o json|yaml

    public record ChangeJson(String key, JsonNode before, JsonNode after) {
    }

    public record TermJson(String name, String setting, double seconds) {
    }

    public record BudgetJson(double worstCaseSeconds, double targetSeconds, boolean overTarget, List<TermJson> terms) {
    }

    public record EditJson(String key, boolean dryRun, boolean changed, boolean written, List<ChangeJson> changes,
                           List<String> needsRestart, String restartSource, long revisionBefore, Long revisionAfter,
                           BudgetJson rtoBudget, String timingRule, List<String> diff) {
    }

    public static BudgetJson json(RtoBudget b) {
        return new BudgetJson(b.worstCase().toMillis() / 1000.0, b.target().toMillis() / 1000.0, b.overTarget(),
                b.terms().stream().map(t -> new TermJson(t.name(), t.setting(), t.value().toMillis() / 1000.0)).toList());
    }

    public static EditJson json(DcsConfigEdit e) {
        return new EditJson(e.key(), e.dryRun(), e.changed(), e.written(),
                e.changes().stream().map(c -> new ChangeJson(c.key(), c.before(), c.after())).toList(),
                e.needsRestart(), e.restartSource(), e.revisionBefore(), e.revisionAfter(), json(e.rtoBudget()), e.timingRule(),
                e.changed() ? e.unifiedDiff() : List.of());
    }
}
