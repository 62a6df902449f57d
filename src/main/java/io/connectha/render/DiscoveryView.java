package io.connectha.render;

import io.connectha.discover.DiscoveryReport;

import java.io.PrintWriter;
import java.util.List;

/**
 * {@code connect ha discover}: the cluster file itself on stdout (when it is not written to a file),
 * and on stderr one line per thing found, missing, expected secret, check and warning.
 */
public final class DiscoveryView {

    private DiscoveryView() {
    }

    /**
     * One cluster of {@code discover --all-scopes}: its scope, the exit code a discovery of it alone would
     * have given, the one-line error when it failed, and the single discovery's report fields (empty when it failed).
     */
    public record ClusterReport(String scope, int exitCode, String error, String file, String action, String content,
                                List<DiscoveryReport.Found> found, List<DiscoveryReport.Missing> missing,
                                List<DiscoveryReport.Secret> secrets, List<DiscoveryReport.Check> checks, List<String> warnings,
                                DiscoveryReport.Context context) {

        public static ClusterReport of(String scope, int exitCode, String error, DiscoveryReport r) {
            if (r == null) {
                return new ClusterReport(scope, exitCode, error, null, null, null, List.of(), List.of(), List.of(), List.of(), List.of(), null);
            }
            return new ClusterReport(scope, exitCode, error, r.file(), r.action(), r.content(), r.found(), r.missing(), r.secrets(),
                    r.checks(), r.warnings(), r.context());
        }
    }

    /** {@code --all-scopes} on stderr: a heading per cluster, its lines as for one discovery, and its error if it failed. */
    public static void clusterSummary(PrintWriter err, String scope, DiscoveryReport report, String error, boolean quiet) {
        if (!quiet) {
            err.println("== cluster " + scope);
            if (report != null) {
                summary(err, report);
            }
        }
        if (error != null) {
            err.println("connect: cluster " + scope + ": " + error);
        }
        err.flush();
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
