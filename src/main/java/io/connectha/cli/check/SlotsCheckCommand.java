package io.connectha.cli.check;

import io.connectha.check.SlotCheck;
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
        description = {"Replication slots on the leader and the WAL each keeps. An inactive slot keeps WAL until the disk fills: CRITICAL.",
                "A slot whose WAL is already gone (wal_status lost): CRITICAL."},
        exitCodeListHeading = ExitCodes.NAGIOS_HEADING,
        exitCodeList = {ExitCodes.LINE_NAGIOS_OK, "1:WARNING: a slot keeps more WAL than --warning", "2:CRITICAL: inactive or lost slot, more WAL than --critical, two writers",
                "3:UNKNOWN: no leader reachable, or the check could not run"})
public final class SlotsCheckCommand implements Runnable, NagiosPlugin {

    @Option(names = "--warning", converter = QuantityConverters.PositiveSize.class, paramLabel = "SIZE", description = "WAL kept for WARNING (default: checks.slot_warning).")
    ByteSize warning;

    @Option(names = "--critical", converter = QuantityConverters.PositiveSize.class, paramLabel = "SIZE", description = "WAL kept for CRITICAL (default: checks.slot_critical).")
    ByteSize critical;

    @Option(names = "--timeout", converter = QuantityConverters.PositiveTime.class, paramLabel = "TIME", description = {"Hard deadline for the whole check.", "Default: checks.timeout, 10s."})
    Duration timeout;

    @Option(names = {"-o", "--output", "--format"}, defaultValue = "nagios", paramLabel = "FORMAT", description = "Output format: nagios (default), json, yaml, prometheus or table. --format is the same option.")
    CheckFormat format;

    @Option(names = "--textfile", paramLabel = "PATH", description = "Write the Prometheus text to PATH atomically.")
    Path textfile;

    @Spec
    CommandSpec spec;

    @Override
    public String serviceName() {
        return "REPLICATION SLOTS";
    }

    @Override
    public void run() {
        LoadedCluster cluster = CommandContext.loadCluster(spec);
        ChecksSpec d = cluster.spec().checks();
        SlotCheck.Report report = new SlotCheck(cluster, new SecretResolver(cluster)).run(
                (warning == null ? d.slotWarning() : warning).bytes(),
                (critical == null ? d.slotCritical() : critical).bytes(),
                timeout == null ? Quantities.parseDuration(d.timeout()) : timeout);
        CheckOutput.print(spec, format, textfile, serviceName(), report);
        if (report.status().exitCode() != 0) {
            throw new ExitException(report.status().exitCode(), null);
        }
    }
}
