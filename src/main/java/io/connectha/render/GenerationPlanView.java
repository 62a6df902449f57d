package io.connectha.render;

import io.connectha.config.FileChange;
import io.connectha.config.GenerationPlan;

import java.io.PrintWriter;

/** {@code config generate} for people: one line per file, then diffs when asked. */
public final class GenerationPlanView {

    private GenerationPlanView() {
    }

    public static void print(PrintWriter out, GenerationPlan plan, boolean diff) {
        Table table = new Table("ACTION", "FILE", "MODE", "NOTE");
        for (FileChange c : plan.files()) {
            String action = plan.dryRun() && c.changes() ? "would " + c.action() : c.action().toString();
            String note = c.secret() ? "secret" : "";
            if (c.backup().isPresent()) {
                note = (note.isEmpty() ? "" : note + ", ") + "previous kept as " + c.backup().get();
            }
            table.row(action, plan.outDir() + "/" + c.path(), c.mode(), note);
        }
        table.print(out);
        if (diff) {
            for (FileChange c : plan.files()) {
                c.unifiedDiff().forEach(out::println);
            }
        }
        if (plan.dryRun()) {
            out.println(plan.changed() == 0 ? "Dry run: nothing would change." : "Dry run: " + plan.changed() + " file(s) would change; nothing was written.");
        }
    }

    public static String summary(GenerationPlan plan) {
        return plan.changed() == 0 ? "Nothing changed: every file in " + plan.outDir() + " is up to date."
                : plan.changed() + " file(s) written to " + plan.outDir() + ".";
    }
}
