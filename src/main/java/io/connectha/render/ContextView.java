package io.connectha.render;

import io.connectha.cluster.ContextListing;
import io.connectha.units.Printable;

import java.io.PrintWriter;

/** {@code connect ha context ...} for people: the contexts as a table, and what a change did in one line. */
public final class ContextView {

    private ContextView() {
    }

    /**
     * What {@code context add|use|remove} did; the JSON of {@code -o json}.
     *
     * @param action      add, use or remove
     * @param clusterFile the context's cluster file (null when there is no such context)
     * @param current     the current context after the change (null for none)
     * @param previousCurrent the current context before it
     * @param changed     whether the contexts file changed (or, on a dry run, would)
     */
    public record Change(String action, String context, String clusterFile, String current, String previousCurrent, boolean changed, boolean dryRun,
                         String contextsFile) {
    }

    public static void print(PrintWriter out, ContextListing listing) {
        if (listing.contexts().isEmpty()) {
            out.println(Printable.visible("No contexts in " + listing.contextsFile() + "; add one with 'connect ha context add NAME FILE'."));
            return;
        }
        Table table = new Table("CURRENT", "NAME", "CLUSTER FILE", "CLUSTER");
        for (ContextListing.Entry e : listing.contexts()) {
            table.row(e.current() ? "*" : "", e.name(), e.clusterFile(), e.cluster() != null ? e.cluster() : "does not load: " + e.error());
        }
        table.print(out);
    }

    public static void print(PrintWriter out, Change c) {
        String would = c.dryRun() ? "would be " : "";
        String line = switch (c.action()) {
            case "add" -> !c.changed() ? "Context '" + c.context() + "' already names " + c.clusterFile() + ": nothing changed"
                    : "Context '" + c.context() + "' " + (c.dryRun() ? "would name " : "names ") + c.clusterFile()
                    + (c.context().equals(c.current()) ? " and " + (c.dryRun() ? "be" : "is") + " current" : "");
            case "use" -> !c.changed() ? "Context '" + c.context() + "' is already current: nothing changed"
                    : "Current context " + (c.dryRun() ? "would be " : "is now ") + "'" + c.context() + "' (" + c.clusterFile() + ")";
            case "remove" -> c.clusterFile() == null ? "No context '" + c.context() + "': nothing removed"
                    : "Context '" + c.context() + "' " + would + "removed"
                    + (c.context().equals(c.previousCurrent()) ? "; it was current, so no context " + (c.dryRun() ? "would be" : "is") + " current" : "");
            default -> c.action();
        };
        out.println(Printable.visible(line + (c.dryRun() ? " (dry run: nothing written)" : "") + "."));
    }
}
