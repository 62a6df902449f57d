package io.connectha.cli.check;

import io.connectha.check.ClusterCheck;
import io.connectha.cli.CommandContext;
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
        description = {"The seed plan's validation checklist in one command: a single leader, every replica streaming, lag under",
                "the threshold, slots active, HAProxy's write port on the leader and read port on a replica, PgBouncer and",
                "SHOW POOLS working, etcd healthy with quorum, Patroni not paused. Each criterion with ✓ or ✗ and what was measured."},
        exitCodeListHeading = "%nExit codes (Nagios):%n",
        exitCodeList = {"0:OK: every criterion met", "2:CRITICAL: a criterion not met", "3:UNKNOWN: the check could not run"})
public final class CheckCommand implements Runnable, NagiosPlugin {

    @Option(names = "--max-lag", converter = QuantityConverters.Size.class, paramLabel = "SIZE", description = "Lag threshold (default: checks.lag_warning).")
    ByteSize maxLag;

    @Option(names = {"--format", "-o"}, defaultValue = "table", paramLabel = "FORMAT", description = "table (default), nagios, json or yaml.")
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
        long lag = maxLag == null ? cluster.spec().checks().lagWarning().bytes() : maxLag.bytes();
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
