package io.connectha.cli.check;

import io.connectha.check.LagCheck;
import io.connectha.check.LagReport;
import io.connectha.check.Thresholds;
import io.connectha.cli.CommandContext;
import io.connectha.cli.ExitCodes;
import io.connectha.cli.ExitException;
import io.connectha.cli.NagiosPlugin;
import io.connectha.cli.QuantityConverters;
import io.connectha.cluster.ByteSize;
import io.connectha.cluster.ChecksSpec;
import io.connectha.cluster.LoadedCluster;
import io.connectha.cluster.Quantities;
import io.connectha.cluster.SecretResolver;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.time.Duration;

@Command(name = "check", mixinStandardHelpOptions = true,
        description = {"Check replication lag per replica, for cron, Nagios/Icinga and Prometheus.",
                "Replication lag per replica, for cron, Nagios/Icinga and Prometheus. Works with or without Patroni:",
                "members come from the cluster file and the leader is the one out of recovery (pg_is_in_recovery()).",
                "Bytes behind = leader's current LSN - replica's replay LSN. When no bytes are behind, time behind is 0:",
                "an idle primary is not lag. A replica that does not stream, or whose slot is inactive, is CRITICAL.",
                "No leader, or the leader unreachable: UNKNOWN. Two writers: CRITICAL."},
        exitCodeListHeading = ExitCodes.NAGIOS_HEADING,
        exitCodeList = {ExitCodes.LINE_NAGIOS_OK, "1:WARNING: a replica reached a warning threshold", "2:CRITICAL: a critical threshold, not streaming, inactive slot, unreachable replica, two writers",
                "3:UNKNOWN: the leader cannot be reached, there is no leader, or the check itself could not run (bad option, bad cluster file, deadline)"})
public final class LagCheckCommand implements Runnable, NagiosPlugin {

    @Option(names = "--warning", converter = QuantityConverters.PositiveSize.class, paramLabel = "SIZE", description = "Bytes behind for WARNING: 1MB, 512kB, 1 GB (default: checks.lag_warning).")
    ByteSize warning;

    @Option(names = "--critical", converter = QuantityConverters.PositiveSize.class, paramLabel = "SIZE", description = {"Bytes behind for CRITICAL.", "Default: checks.lag_critical."})
    ByteSize critical;

    @Option(names = "--warning-time", converter = QuantityConverters.PositiveTime.class, paramLabel = "TIME", description = "Time behind for WARNING: 500ms, 1s, 2min (default: checks.lag_warning_time).")
    Duration warningTime;

    @Option(names = "--critical-time", converter = QuantityConverters.PositiveTime.class, paramLabel = "TIME", description = {"Time behind for CRITICAL.", "Default: checks.lag_critical_time."})
    Duration criticalTime;

    @Option(names = "--member", paramLabel = "NAME", description = "Check this replica only.")
    String member;

    @Option(names = "--heartbeat", description = {"Write a row on the leader (table", "public.connect_heartbeat in database postgres) and measure",
            "how long each replica takes to replay it: time behind measured, not inferred."})
    boolean heartbeat;

    @Option(names = "--timeout", converter = QuantityConverters.PositiveTime.class, paramLabel = "TIME", description = {"Hard deadline for the whole check.", "Default: checks.timeout, 10s."})
    Duration timeout;

    @Option(names = {"-o", "--output", "--format"}, defaultValue = "nagios", paramLabel = "FORMAT",
            description = "Output format: nagios (default), json, yaml, prometheus or table. --format is the same option.")
    CheckFormat format;

    @Option(names = "--textfile", paramLabel = "PATH", description = {"Write the Prometheus text to PATH atomically (a temporary file, then rename),",
            "for node_exporter's textfile collector; the status line still goes to stdout."})
    Path textfile;

    @Spec
    CommandSpec spec;

    @Override
    public String serviceName() {
        return "REPLICATION LAG";
    }

    @Override
    public void run() {
        LoadedCluster cluster = CommandContext.loadCluster(spec);
        ChecksSpec defaults = cluster.spec().checks();
        Thresholds thresholds = new Thresholds(
                (warning == null ? defaults.lagWarning() : warning).bytes(),
                (critical == null ? defaults.lagCritical() : critical).bytes(),
                warningTime == null ? Quantities.parseDuration(defaults.lagWarningTime()) : warningTime,
                criticalTime == null ? Quantities.parseDuration(defaults.lagCriticalTime()) : criticalTime);
        Duration deadline = timeout == null ? Quantities.parseDuration(defaults.timeout()) : timeout;
        LagReport report = new LagCheck(cluster, new SecretResolver(cluster))
                .run(new LagCheck.Options(thresholds, member, heartbeat, deadline));
        CheckOutput.print(spec, format, textfile, serviceName(), report);
        if (report.status().exitCode() != 0) {
            throw new ExitException(report.status().exitCode(), null);
        }
    }
}
