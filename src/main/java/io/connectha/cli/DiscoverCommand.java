package io.connectha.cli;

import io.connectha.discover.DiscoveredFile;
import io.connectha.error.ConnectError;
import io.connectha.discover.DiscoveryReport;
import io.connectha.discover.DiscoveryRequest;
import io.connectha.discover.DiscoveryService;
import io.connectha.render.DiscoveryView;
import io.connectha.render.OutputFormat;
import io.connectha.render.Renderer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

@Command(name = "discover", mixinStandardHelpOptions = true,
        exitCodeList = {ExitCodes.LINE_OK, "  1:The discovered file does not load, or a different file is at --out and was not replaced.",
                "  2:Usage error or invalid input, a bad cluster file included; --all-scopes without --out-dir or --etcd,"
                        + " or with --out, --scope, --context or a one-cluster source.",
                "  5:A source did not answer in time and the others did not give enough, or no member answers.",
                ExitCodes.LINE_INTERRUPTED,
                "   :With --all-scopes: the worst (highest) of the clusters' codes, each as if discovered alone."},
        description = {"Write the cluster file of a running cluster that connect did not build.",
                "From any combination of a member's patroni.yml, Patroni's REST API, etcd, HAProxy's config and socket",
                "or stats page, and PgBouncer's config. It never writes a password: it lists the secrets the file expects",
                "and where to put them. Before writing, it loads the file and checks it against the live cluster.",
                "Run twice against the same cluster, it writes the same bytes.",
                "With --context NAME (and --out), the file is registered as context NAME.",
                "With --all-scopes (--etcd URL, --out-dir DIR), every cluster under the namespace is discovered:",
                "DIR/<scope>.yaml for each, registered as context <scope>.",
                "Every option, the rules and the report: docs/discover.md."})
public final class DiscoverCommand implements Runnable {

    @Option(names = "--patroni-config", paramLabel = "FILE", description = "A member's patroni.yml, as patronictl -c reads it.")
    Path patroniConfig;

    @Option(names = "--patroni", paramLabel = "URL", description = "A member's REST API, such as http://10.0.1.11:8008.")
    String patroniUrl;

    @Option(names = "--etcd", paramLabel = "URL", description = "An etcd endpoint, such as http://10.0.1.21:2379.")
    String etcdUrl;

    @Option(names = "--namespace", paramLabel = "NS", description = {"Patroni's namespace in etcd", "(default: the one in patroni.yml, else /service)."})
    String namespace;

    @Option(names = "--scope", paramLabel = "NAME", description = "The cluster to take when etcd holds more than one.")
    String scope;

    @Option(names = "--haproxy-config", paramLabel = "FILE", description = "haproxy.cfg: listeners, ports, backends, health checks.")
    Path haproxyConfig;

    @Option(names = "--haproxy-socket", paramLabel = "PATH", description = "HAProxy's admin socket: which servers are UP, live.")
    Path haproxySocket;

    @Option(names = "--haproxy-stats", paramLabel = "URL", description = "HAProxy's stats page, when there is no socket.")
    String haproxyStats;

    @Option(names = "--pgbouncer-config", paramLabel = "FILE", description = "pgbouncer.ini: listener, databases and aliases, pool mode, admin user.")
    Path pgbouncerConfig;

    @Option(names = "--pgbouncer", paramLabel = "HOST:PORT", description = "PgBouncer's listener, when its config is not at hand.")
    String pgbouncer;

    @Option(names = "--secrets-dir", paramLabel = "DIR",
            description = {"Read each secret from DIR/<name>.password (mode 0600) instead of the CONNECT_*_PASSWORD variables;",
                    "with --all-scopes, from DIR/<scope>/<name>.password."})
    Path secretsDir;

    @Option(names = "--out", paramLabel = "FILE", description = "Write the cluster file here (default: stdout).")
    Path out;

    @Option(names = "--all-scopes", description = "Discover every cluster under the namespace in etcd (--etcd URL): write"
            + " DIR/<scope>.yaml for each and register it as context <scope>.")
    boolean allScopes;

    @Option(names = "--out-dir", paramLabel = "DIR", description = "With --all-scopes: where each cluster's file is written.")
    Path outDir;

    @Mixin
    DryRunOption dryRun;

    @Mixin
    YesOption yes;

    @Mixin
    TimeoutOptions timeouts;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "table",
            description = "table: the file itself (or nothing with --out); json or yaml: the report {file, found, missing, secrets, warnings}.")
    OutputFormat format;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        if (allScopes) {
            runAllScopes();
            return;
        }
        if (outDir != null) {
            throw new ExitException(ExitCodes.USAGE, "--out-dir DIR is where --all-scopes writes one file per cluster; give --all-scopes too, or --out FILE");
        }
        // --context is connect's global option: here it names the context to register the written file as
        String context = CommandContext.global(spec).context();
        if (context != null && out == null) {
            throw new ExitException(ExitCodes.USAGE, "--context NAME registers the file discover writes: give --out FILE too");
        }
        DiscoveryRequest request = new DiscoveryRequest(patroniConfig, patroniUrl, etcdUrl, namespace, scope, haproxyConfig,
                haproxySocket, haproxyStats, pgbouncerConfig, pgbouncer, secretsDir, timeouts.connect(), timeouts.read());
        DiscoveryReport report = discoverOne(new DiscoveryService(System.getenv()), request, out, context);
        if (!CommandContext.global(spec).quiet()) {
            DiscoveryView.summary(spec.commandLine().getErr(), report);
        }
        Renderer.print(spec.commandLine().getOut(), format, report, w -> DiscoveryView.print(w, report));
    }

    /** One cluster: its context checked before anything is written, then discovered, written (or not) and registered. */
    private DiscoveryReport discoverOne(DiscoveryService service, DiscoveryRequest request, Path target, String context) {
        if (context != null) {
            DiscoveredFile.checkContext(context, target, yes.yes(), System.getenv());
        }
        DiscoveryReport report = service.discover(request);
        if (target == null || dryRun.on()) {
            report = DiscoveredFile.notWritten(report, dryRun.on());
        } else {
            if (DiscoveredFile.existing(target, report.content()) == DiscoveredFile.Existing.different) {
                Confirmation.onTerminal(spec).require("replace " + target + ", which holds a different cluster file", yes.yes());
            }
            report = DiscoveredFile.write(report, target);
        }
        if (context != null) {
            report = DiscoveredFile.register(report, target, context, yes.yes(), dryRun.on(), System.getenv());
        }
        return report;
    }

    /**
     * Every cluster under the namespace, each as one discovery from etcd with its own file and context; one
     * cluster's failure does not stop the others, and the exit code is the worst of theirs.
     */
    private void runAllScopes() {
        String given = CommandContext.global(spec).context() != null ? "--context"
                : out != null ? "--out" : scope != null ? "--scope" : null;
        if (given != null) {
            throw new ExitException(ExitCodes.USAGE, "--all-scopes writes DIR/<scope>.yaml and registers context <scope> for each cluster;"
                    + " it takes no " + given);
        }
        if (outDir == null) {
            throw new ExitException(ExitCodes.USAGE, "--all-scopes writes one file per cluster: give --out-dir DIR");
        }
        if (etcdUrl == null) {
            throw new ExitException(ExitCodes.USAGE, "--all-scopes finds the clusters in etcd: give --etcd URL");
        }
        String oneCluster = patroniConfig != null ? "--patroni-config" : patroniUrl != null ? "--patroni"
                : haproxyConfig != null ? "--haproxy-config" : haproxySocket != null ? "--haproxy-socket"
                : haproxyStats != null ? "--haproxy-stats" : pgbouncerConfig != null ? "--pgbouncer-config"
                : pgbouncer != null ? "--pgbouncer" : null;
        if (oneCluster != null) {
            throw new ExitException(ExitCodes.USAGE, "--all-scopes discovers each cluster from etcd alone; " + oneCluster
                    + " describes one cluster: discover that one with --scope NAME");
        }
        DiscoveryRequest base = new DiscoveryRequest(null, null, etcdUrl, namespace, null, null, null, null, null, null, null,
                timeouts.connect(), timeouts.read());
        DiscoveryService service = new DiscoveryService(System.getenv());
        DiscoveryService.Scopes scopes = service.scopes(base);
        if (scopes.names().isEmpty()) {
            throw new ExitException(ExitCodes.USAGE, "etcd at " + etcdUrl + " holds no cluster under " + scopes.namespace());
        }
        boolean quiet = CommandContext.global(spec).quiet();
        List<DiscoveryView.ClusterReport> reports = new ArrayList<>();
        for (String name : scopes.names()) {
            // each cluster reads its own passwords: one directory per cluster under --secrets-dir
            DiscoveryRequest request = base.forScope(name, secretsDir == null ? null : secretsDir.resolve(name));
            DiscoveryReport report = null;
            String error = null;
            int code = ExitCodes.OK;
            try {
                report = discoverOne(service, request, outDir.resolve(name + ".yaml"), name);
            } catch (ConnectError | ExitException e) {
                code = ErrorHandler.exitCode(e);
                error = e.getMessage() == null ? "failed" : e.getMessage().strip();
            }
            DiscoveryView.clusterSummary(spec.commandLine().getErr(), name, report, error, quiet);
            reports.add(DiscoveryView.ClusterReport.of(name, code, error, report));
        }
        Renderer.print(spec.commandLine().getOut(), format, reports, w -> {
        });
        int worst = reports.stream().mapToInt(DiscoveryView.ClusterReport::exitCode).max().orElse(ExitCodes.OK);
        if (worst != ExitCodes.OK) {
            throw new ExitException(worst, null);
        }
    }
}
