package io.connectha.cli.check;

import io.connectha.check.CheckItem;
import io.connectha.check.ClusterCheck;
import io.connectha.check.ItemsCheck;
import io.connectha.check.ItemsReport;
import io.connectha.cli.CommandContext;
import io.connectha.cli.ExitCodes;
import io.connectha.cli.ExitException;
import io.connectha.cli.NagiosPlugin;
import io.connectha.cli.QuantityConverters;
import io.connectha.cli.TimeoutOptions;
import io.connectha.cluster.ByteSize;
import io.connectha.cluster.LoadedCluster;
import io.connectha.cluster.SecretResolver;
import io.connectha.render.CheckItemView;
import io.connectha.render.CheckView;
import io.connectha.render.OutputFormat;
import io.connectha.render.Renderer;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.TypeConversionException;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

@Command(name = "check", mixinStandardHelpOptions = true,
        description = {"Checks that the cluster is ready for production, in one command.",
                "It checks that there is exactly one leader, that every replica streams with lag under the threshold, "
                        + "that replication slots are active, that HAProxy's write port leads to the leader and its read port to a replica, "
                        + "that PgBouncer answers SHOW POOLS, that etcd is healthy with a quorum, and that Patroni is not paused. "
                        + "Each criterion is shown with ✓ or ✗ and what was measured."},
        exitCodeListHeading = ExitCodes.NAGIOS_HEADING,
        exitCodeList = {ExitCodes.LINE_NAGIOS_OK, "1:WARNING: every criterion is met, but the cluster file disagrees with Patroni's live "
                + "configuration (config_drift) or Patroni's live timings break its rule (timing_rule). With --only: the timeline or "
                + "the DCS config changed since the last run, fewer healthy replicas or members than --min-replicas or --min-members, "
                + "fewer synchronous standbys than synchronous_node_count, or a standby leader in archive recovery.",
                "2:CRITICAL: a criterion is not met. With --only: no running leader, fewer healthy replicas or members than "
                + "--min-replicas-critical or --min-members-critical, no synchronous standby in synchronous mode, Patroni paused, "
                + "a scheduled switchover or restart, or a member pending restart.",
                ExitCodes.LINE_NAGIOS_UNKNOWN + " With --only: also timeline_changed or config_changed without --state-file, "
                        + "a state file that is not connect's, or no member reporting a timeline."})
public final class CheckCommand implements Runnable, NagiosPlugin {

    @Option(names = "--max-lag", converter = QuantityConverters.Size.class, paramLabel = "SIZE", description = "Lag threshold (default: checks.lag_warning; when the file leaves it out, "
            + "maximum_lag_on_failover as the cluster runs it).")
    ByteSize maxLag;

    @Option(names = {"-o", "--output", "--format"}, defaultValue = "table", paramLabel = "FORMAT", description = "Output format: table (default), nagios, json or yaml; with --only also prometheus. --format is the same option.")
    CheckFormat format;

    @Option(names = "--only", split = ",", converter = ItemConverter.class, paramLabel = "ITEM",
            description = {"Run these items only, each as check_patroni's service of the same meaning (docs/checks.md); with -o nagios, one "
                    + "Nagios line with their perfdata. Items: leader, replicas, members, sync_standbys, paused, scheduled_action, "
                    + "pending_restart, timeline_changed, config_changed. A comma list runs several; the state is the worst."})
    List<CheckItem> only;

    @Option(names = "--state-file", paramLabel = "PATH", description = {"With --only timeline_changed or config_changed (required for them): "
            + "where the last timeline and the DCS config's hash are kept between runs (JSON, written atomically, mode 0600). "
            + "The first run records; the first run after a change warns and records; the run after is OK."})
    Path stateFile;

    @Option(names = "--min-replicas", paramLabel = "N", description = {"With --only replicas: fewer healthy replicas (running, streaming, "
            + "on the leader's timeline, lag within --max-lag) is WARNING (default: every replica the cluster file lists)."})
    Integer minReplicas;

    @Option(names = "--min-replicas-critical", paramLabel = "N", description = "With --only replicas: fewer healthy replicas is CRITICAL (default: 1).")
    Integer minReplicasCritical;

    @Option(names = "--min-members", paramLabel = "N", description = {"With --only members: fewer healthy members (PostgreSQL running) "
            + "is WARNING (default: every member the cluster file lists)."})
    Integer minMembers;

    @Option(names = "--min-members-critical", paramLabel = "N", description = "With --only members: fewer healthy members is CRITICAL (default: 2).")
    Integer minMembersCritical;

    @Mixin
    TimeoutOptions timeouts;

    @Spec
    CommandSpec spec;

    @Override
    public String serviceName() {
        return only == null || only.isEmpty() ? "HA CHECK" : CheckItemView.service("HA CHECK", only);
    }

    /** An item by name, as {@code --only} takes it; an unknown one lists the items. */
    static final class ItemConverter implements ITypeConverter<CheckItem> {
        @Override
        public CheckItem convert(String value) {
            CheckItem item = CheckItem.parse(value);
            if (item == null) {
                throw new TypeConversionException("unknown item '" + value + "' for --only; items: "
                        + Arrays.stream(CheckItem.values()).map(Enum::name).collect(Collectors.joining(", ")));
            }
            return item;
        }
    }

    @Override
    public void run() {
        if (only != null && !only.isEmpty()) {
            runItems();
            return;
        }
        for (Object[] given : new Object[][]{{"--state-file", stateFile}, {"--min-replicas", minReplicas},
                {"--min-replicas-critical", minReplicasCritical}, {"--min-members", minMembers}, {"--min-members-critical", minMembersCritical}}) {
            if (given[1] != null) {
                throw new ParameterException(spec.commandLine(), given[0] + " applies to --only ITEM; without --only, check runs its checklist");
            }
        }
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

    private void runItems() {
        List<CheckItem> items = only.stream().distinct().toList();
        if (stateFile == null && items.stream().anyMatch(CheckItem::keepsState)) {
            throw new ParameterException(spec.commandLine(), "--only " + items.stream().filter(CheckItem::keepsState).map(Enum::name)
                    .collect(Collectors.joining(",")) + " compares with the last run: give --state-file PATH");
        }
        for (Object[] count : new Object[][]{{"--min-replicas", minReplicas}, {"--min-replicas-critical", minReplicasCritical},
                {"--min-members", minMembers}, {"--min-members-critical", minMembersCritical}}) {
            if (count[1] != null && (Integer) count[1] < 0) {
                throw new ParameterException(spec.commandLine(), count[0] + " must be 0 or more, not " + count[1]);
            }
        }
        LoadedCluster cluster = CommandContext.loadCluster(spec);
        ItemsReport report = new ItemsCheck(cluster, new SecretResolver(cluster)).run(new ItemsCheck.Options(items,
                maxLag == null ? null : maxLag.bytes(), minReplicas, minReplicasCritical, minMembers, minMembersCritical, stateFile,
                timeouts.connect(), timeouts.read()));
        PrintWriter out = spec.commandLine().getOut();
        switch (format) {
            case nagios -> out.println(CheckItemView.nagios(serviceName(), report));
            case prometheus -> out.print(CheckItemView.prometheus(report));
            case json -> Renderer.print(out, OutputFormat.json, CheckItemView.json(report), w -> { });
            case yaml -> Renderer.print(out, OutputFormat.yaml, CheckItemView.json(report), w -> { });
            case table -> CheckItemView.table(out, report);
        }
        out.flush();
        if (report.status().exitCode() != 0) {
            throw new ExitException(report.status().exitCode(), null);
        }
    }
}
