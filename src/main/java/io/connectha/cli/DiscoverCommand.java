package io.connectha.cli;

import io.connectha.discover.DiscoveredFile;
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

@Command(name = "discover", mixinStandardHelpOptions = true,
        exitCodeList = {ExitCodes.LINE_OK, "  1:The discovered file does not load, or a different file is at --out and was not replaced.",
                ExitCodes.LINE_USAGE, "  5:A source did not answer in time and the others did not give enough, or no member answers.",
                ExitCodes.LINE_INTERRUPTED},
        description = {"Write the cluster file of a running cluster that connect did not build.",
                "From any combination of a member's patroni.yml, Patroni's REST API, etcd, HAProxy's config and socket",
                "or stats page, and PgBouncer's config. It never writes a password: it lists the secrets the file expects",
                "and where to put them. Before writing, it loads the file and checks it against the live cluster.",
                "Run twice against the same cluster, it writes the same bytes.",
                "With --context NAME (and --out), the file is registered as context NAME.",
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
            description = "Read each secret from DIR/<name>.password (mode 0600) instead of the CONNECT_*_PASSWORD variables.")
    Path secretsDir;

    @Option(names = "--out", paramLabel = "FILE", description = "Write the cluster file here (default: stdout).")
    Path out;

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
        // --context is connect's global option: here it names the context to register the written file as
        String context = CommandContext.global(spec).context();
        if (context != null) {
            if (out == null) {
                throw new ExitException(ExitCodes.USAGE, "--context NAME registers the file discover writes: give --out FILE too");
            }
            DiscoveredFile.checkContext(context, out, yes.yes(), System.getenv());
        }
        DiscoveryRequest request = new DiscoveryRequest(patroniConfig, patroniUrl, etcdUrl, namespace, scope, haproxyConfig,
                haproxySocket, haproxyStats, pgbouncerConfig, pgbouncer, secretsDir, timeouts.connect(), timeouts.read());
        DiscoveryReport report = new DiscoveryService(System.getenv()).discover(request);
        if (out == null || dryRun.on()) {
            report = DiscoveredFile.notWritten(report, dryRun.on());
        } else {
            if (DiscoveredFile.existing(out, report.content()) == DiscoveredFile.Existing.different) {
                Confirmation.onTerminal(spec).require("replace " + out + ", which holds a different cluster file", yes.yes());
            }
            report = DiscoveredFile.write(report, out);
        }
        if (context != null) {
            report = DiscoveredFile.register(report, out, context, yes.yes(), dryRun.on(), System.getenv());
        }
        if (!CommandContext.global(spec).quiet()) {
            DiscoveryView.summary(spec.commandLine().getErr(), report);
        }
        DiscoveryReport shown = report;
        Renderer.print(spec.commandLine().getOut(), format, shown, w -> DiscoveryView.print(w, shown));
    }
}
