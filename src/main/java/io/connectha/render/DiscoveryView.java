package io.connectha.render;

import io.connectha.discover.DiscoveryReport;

import java.io.PrintWriter;

/**
 * {@code connect ha discover}: the cluster file itself on stdout (when it is not written to a file),
 * and on stderr one line per thing found, missing, expected secret, check and warning.
 */
public final class DiscoveryView {

    private DiscoveryView() {
    }

    /** The table form's stdout: the file itself, or nothing when it went to a file. */
    public static void print(PrintWriter out, DiscoveryReport report) {
        if (report.file() == null) {
            out.print(report.content());
        }
    }

    /** The lines for stderr, in the order an operator reads them: found, missing, secrets, checks, warnings, and what was done. */
    public static void summary(PrintWriter err, DiscoveryReport report) {
        for (DiscoveryReport.Found f : report.found()) {
            err.println("found    " + f.item() + " = " + f.value() + "  (from " + f.source() + ")");
        }
        for (DiscoveryReport.Missing m : report.missing()) {
            err.println("missing  " + m.item() + ": " + m.reason());
        }
        for (DiscoveryReport.Secret s : report.secrets()) {
            String where = s.source().startsWith("env ")
                    ? "set " + s.source().substring(4)
                    : "put it in " + s.source().substring(5) + " (first line, mode 0600)";
            err.println("secret   " + s.name() + " (password of " + s.user() + "): " + where);
        }
        for (DiscoveryReport.Check c : report.checks()) {
            err.println("check    " + (c.ok() ? "ok    " : "FAILED") + " " + c.what() + ": " + c.detail());
        }
        for (String w : report.warnings()) {
            err.println("warning: " + w);
        }
        switch (report.action()) {
            case "created", "updated" -> err.println("wrote " + report.file() + " (" + report.action() + ")");
            case "unchanged" -> err.println(report.file() + " is unchanged: it already holds this content");
            case "dry_run" -> err.println("dry run: nothing written");
            default -> {
            }
        }
        DiscoveryReport.Context c = report.context();
        if (c != null) {
            err.println(switch (c.action()) {
                case "added" -> "context " + c.name() + " now names " + report.file() + " (" + c.contextsFile() + ")";
                case "unchanged" -> "context " + c.name() + " already names " + report.file();
                default -> "dry run: context " + c.name() + " not registered";
            });
        }
        err.flush();
    }
}
