package io.connectha.discover;

import java.util.List;

/**
 * What discovery found and wrote.
 *
 * @param file     where the cluster file was written; null when it went to stdout or was not written (a dry run)
 * @param action   {@code created}, {@code updated}, {@code unchanged}, {@code printed} (stdout) or {@code dry_run}
 * @param content  the cluster file
 * @param found    one entry per thing found, with where it came from
 * @param missing  what no source gave, and what the file assumes instead
 * @param secrets  the secrets the file expects and where to put each one
 * @param checks   the validation against the live cluster, one entry each
 * @param warnings anything else the operator should know
 * @param context  the context the file was registered as ({@code --context}); null without one
 */
public record DiscoveryReport(String file, String action, String content, List<Found> found, List<Missing> missing,
                              List<Secret> secrets, List<Check> checks, List<String> warnings, Context context) {

    public DiscoveryReport(String file, String action, String content, List<Found> found, List<Missing> missing,
                           List<Secret> secrets, List<Check> checks, List<String> warnings) {
        this(file, action, content, found, missing, secrets, checks, warnings, null);
    }

    /**
     * @param contextsFile where the contexts are kept
     * @param action       {@code added}, {@code unchanged} (it already named this file), or {@code dry_run}
     */
    public record Context(String name, String contextsFile, String action) {
    }

    /** {@code item} as in the cluster file ({@code haproxy.write_backend}), its value, and the source. */
    public record Found(String item, String value, String source) {
    }

    public record Missing(String item, String reason) {
    }

    /**
     * @param user   the user it is the password of
     * @param source where the file reads it from ({@code env CONNECT_APP_PASSWORD}, {@code file /x/app.password})
     */
    public record Secret(String name, String user, String source) {
    }

    public record Check(String what, boolean ok, String detail) {
    }

    DiscoveryReport written(String where, String how) {
        return new DiscoveryReport(where, how, content, found, missing, secrets, checks, warnings, context);
    }

    DiscoveryReport registered(Context registration) {
        return new DiscoveryReport(file, action, content, found, missing, secrets, checks, warnings, registration);
    }
}
