package io.connectha.cli.check;

import io.connectha.check.ClusterCheck;
import io.connectha.cli.CommandContext;
import io.connectha.cli.ExitCodes;
import io.connectha.cli.ExitException;
import io.connectha.cli.NagiosPlugin;
import io.connectha.cli.QuantityConverters;
import io.connectha.cli.TimeoutOptions;
import io.connectha.cluster.ByteSize;
import io.connectha.cluster.LoadedCluster;
import io.connectha.cluster.SecretResolver;
import io.connectha.render.CheckView;
import io.connectha.render.OutputFormat;
import io.connectha.render.Renderer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;

@Command(name = "check", mixinStandardHelpOptions = true,
        description = {"Checks that the cluster is ready for production, in one command.",
                "It checks that there is exactly one leader, that every replica streams with lag under the threshold, "
                        + "that replication slots are active, that HAProxy's write port leads to the leader and its read port to a replica, "
                        + "that PgBouncer answers SHOW POOLS, that etcd is healthy with a quorum, and that Patroni is not paused. "
                        + "Each criterion is shown with ✓ or ✗ and what was measured."},
        exitCodeListHeading = ExitCodes.NAGIOS_HEADING,
        exitCodeList = {ExitCodes.LINE_NAGIOS_OK, "1:WARNING: every criterion is met, but the cluster file disagrees with Patroni's live "
                + "configuration (config_drift) or Patroni's live timings break its rule (timing_rule).",
                "2:CRITICAL: a criterion is not met.", ExitCodes.LINE_NAGIOS_UNKNOWN})
public final class CheckCommand implements Runnable, NagiosPlugin {

    @Option(names = "--max-lag", converter = QuantityConverters.Size.class, paramLabel = "SIZE", description = "Lag threshold (default: checks.lag_warning; when the file leaves it out, "
            + "maximum_lag_on_failover as the cluster runs it).")
    ByteSize maxLag;

    @Option(names = {"-o", "--output", "--format"}, defaultValue = "table", paramLabel = "FORMAT", description = "Output format: table (default), nagios, json or yaml. --format is the same option.")
    CheckFormat format;

    @Mixin
    TimeoutOptions timeouts;

    @Spec
    CommandSpec spec;

    @Override
    public String serviceName() {
        return "HA CHECK";
    }

    @Override
    public void run() {
        LoadedCluster cluster = CommandContext.loadCluster(spec);
        Long lag = maxLag == null ? null : Long.valueOf(maxLag.bytes());
        ClusterCheck.Report report = new ClusterCheck(cluster, new SecretResolver(cluster)).run(timeouts.connect(), timeouts.read(), lag);
        PrintWriter out = spec.commandLine().getOut();
        switch (format) {
            case nagios, prometheus -> out.println(CheckView.nagios(serviceName(), report));
            case json -> Renderer.print(out, OutputFormat.json, CheckView.json(report), w -> { });
            case yaml -> Renderer.print(out, OutputFormat.yaml, CheckView.json(report), w -> { });
            case table -> CheckView.table(out, report);
        }
        out.flush();
        if (report.status().exitCode() != 0) {
            throw new ExitException(report.status().exitCode(), null);
        }
    }
}
