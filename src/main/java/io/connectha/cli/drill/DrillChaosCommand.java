package io.connectha.cli.drill;

import io.connectha.cli.CommandContext;
import io.connectha.cli.ExitCodes;
import io.connectha.cli.OutputOptions;
import io.connectha.cli.QuantityConverters;
import io.connectha.cli.YesOption;
import io.connectha.cluster.ClusterSpec;
import io.connectha.cluster.LoadedCluster;
import io.connectha.cluster.SecretResolver;
import io.connectha.drill.ChaosCampaign;
import io.connectha.drill.ChaosReport;
import io.connectha.drill.FailoverDrill;
import io.connectha.drill.FaultKind;
import io.connectha.error.ConnectError;
import io.connectha.render.ChaosView;
import io.connectha.render.Renderer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

@Command(name = "chaos",
        exitCodeList = {ExitCodes.LINE_OK, "  1:A violation: an acknowledged write lost, a write present that was never sent, a write "
                + "present twice, two leaders at once, split-brain writes, or a cycle that did not heal.",
                ExitCodes.LINE_USAGE, ExitCodes.LINE_UNREACHABLE, ExitCodes.LINE_AUTHENTICATION_FAILED, ExitCodes.LINE_MISSING_PROGRAM,
                ExitCodes.LINE_INTERRUPTED},
        mixinStandardHelpOptions = true,
        description = {"A chaos campaign under continuous write load, as Patroni's Jepsen suite runs one: cycle after cycle, one fault "
                + "drawn at random (by --seed) from --faults, applied to its target, held for --fault-for, put back, and the cluster "
                + "healed for --heal-for and until preflight passes again. Each cycle reports the leader change, when writes came back, "
                + "the clients' longest silence, failed, lost and split-brain writes, and how long healing took.",
                "At the end a set checker reads the table back from the leader: every acknowledged write present exactly once, no "
                        + "write present that no client sent, and no write acknowledged by one member while another was provably "
                        + "a primary (two leaders at once).",
                "Exit 0 when nothing was violated, 1 on any violation. Ctrl-C puts back the fault in progress, stops the load, waits "
                        + "for the cluster to be healthy and writes the report so far."})
public final class DrillChaosCommand implements Runnable {

    @Option(names = "--faults", required = true, split = ",", paramLabel = "FAULT[,FAULT...]",
            description = "The faults to draw from, e.g. switchover,patroni-kill,freeze-patroni,dcs-outage. Any of: postmaster-kill, "
                    + "patroni-kill, patroni-stop, pg-stop, switchover, etcd-leader-kill, partition-leader, partition-leader-dcs, "
                    + "partition-replica, partition-halves, partition-one-way, latency-leader (these need a lab in network namespaces or a "
                    + "drill_fault_command; latency-leader also tc's netem), freeze-postgres, freeze-patroni, dcs-outage.")
    List<String> faults;

    @Option(names = "--duration", converter = QuantityConverters.PositiveTime.class, defaultValue = "30m", paramLabel = "TIME",
            description = "How long the campaign runs; the cycle in progress then finishes (default: ${DEFAULT-VALUE}).")
    Duration duration;

    @Option(names = "--fault-for", converter = QuantityConverters.PositiveTime.class, defaultValue = "60s", paramLabel = "TIME",
            description = "How long each fault is held before it is put back (default: ${DEFAULT-VALUE}).")
    Duration faultFor;

    @Option(names = "--heal-for", converter = QuantityConverters.PositiveTime.class, defaultValue = "60s", paramLabel = "TIME",
            description = "How long to wait after each restore before the next fault, and then until preflight passes "
                    + "(default: ${DEFAULT-VALUE}).")
    Duration healFor;

    @Option(names = "--max-heal", converter = QuantityConverters.PositiveTime.class, defaultValue = "3m", paramLabel = "TIME",
            description = "A cycle whose cluster does not pass preflight within this of the restore is a violation, and the "
                    + "campaign ends (default: ${DEFAULT-VALUE}).")
    Duration maxHeal;

    @Option(names = "--seed", paramLabel = "N",
            description = "Seed for the faults' order and their targets; the same seed draws the same faults (default: the clock, "
                    + "shown on stderr and in the report).")
    Long seed;

    @Option(names = "--clients", defaultValue = "4", description = "Writing clients (default: ${DEFAULT-VALUE}).")
    int clients;

    @Option(names = "--via", defaultValue = "haproxy", paramLabel = "PATH",
            description = "Write through haproxy (its write port, the default) or pgbouncer.")
    String via;

    @Option(names = "--report", paramLabel = "DIR", description = "Write report.json and junit.xml there.")
    Path report;

    @Option(names = "--keep-table", description = "Leave the campaign's table (connect_chaos) on the leader for inspection.")
    boolean keepTable;

    @Option(names = "--rebuild-diverged", description = {"Rebuild (patroni reinit) a replica that still does not stream 30 s after --heal-for,",
            "as an operator would (one left on a timeline the leader never had), rather than end the campaign on it."})
    boolean rebuildDiverged;

    @Mixin
    OutputOptions output;

    @Mixin
    YesOption confirm;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        LoadedCluster cluster = CommandContext.loadCluster(spec);
        ClusterSpec c = cluster.spec();
        DrillSafety.requireAllowedOrYes(c, confirm.yes());
        ChaosReport.Options options = options();
        var progress = CommandContext.progress(spec);
        ChaosCampaign campaign = new ChaosCampaign(cluster, new SecretResolver(cluster), progress);
        String by = campaign.faults(options.faults()).map(f -> f.describe()).orElse("Patroni's REST API");
        progress.info("Drill: chaos on " + c.name() + " for " + duration.toSeconds() + " s, seed " + options.seed() + " (--seed "
                + options.seed() + " repeats it): " + String.join(",", faults) + ", each held " + faultFor.toMillis() + " ms, then healed "
                + healFor.toMillis() + " ms; " + clients + " writing clients through " + via + "; faults through " + by + ".");
        DrillSafety.confirm(spec, c, "chaos", confirm.yes());
        ChaosReport result = campaign.run(options, partial -> {
            show(partial);
            DrillReports.write(report, ChaosView.json(partial), ChaosView.junit(partial), progress);
        });
        if (result.interrupted()) {
            // Ctrl-C: the guard has shown and written this report already, and the JVM exits with 130
            return;
        }
        show(result);
        DrillReports.conclude(report, ChaosView.json(result), ChaosView.junit(result), result.passed(), progress);
    }

    private void show(ChaosReport r) {
        Renderer.print(spec.commandLine().getOut(), output.format(), ChaosView.json(r), w -> ChaosView.print(w, r));
    }

    /** Every value parsed and checked: exit 2 with one line before anything happens. */
    ChaosReport.Options options() {
        if (clients < 1) {
            throw ConnectError.invalidInput("--clients must be at least 1");
        }
        List<FaultKind> kinds = new ArrayList<>();
        for (String name : faults) {
            String n = name.strip();
            FaultKind kind = null;
            for (FaultKind k : FaultKind.values()) {
                if (k.option().equals(n)) {
                    kind = k;
                }
            }
            if (kind == null) {
                throw ConnectError.invalidInput("--faults: '" + n + "' is not one of " + FaultKind.options());
            }
            kinds.add(kind);
        }
        FailoverDrill.Via path;
        try {
            path = FailoverDrill.Via.valueOf(via);
        } catch (IllegalArgumentException e) {
            throw ConnectError.invalidInput("--via: '" + via + "' is not haproxy or pgbouncer");
        }
        return new ChaosReport.Options(List.copyOf(kinds), duration, faultFor, healFor, maxHeal,
                seed != null ? seed : System.currentTimeMillis(), clients, path, keepTable, rebuildDiverged);
    }
}
