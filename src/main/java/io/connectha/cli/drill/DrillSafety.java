package io.connectha.cli.drill;

import io.connectha.cli.Confirmation;
import io.connectha.cluster.ClusterSpec;
import io.connectha.error.ConnectError;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The rule every drill keeps, as {@code drill failover} does: it runs on a cluster file that says
 * {@code drills: allowed} (the lab's), or with --yes after a confirmation on the terminal.
 */
final class DrillSafety {

    private DrillSafety() {
    }

    /** Refuses (exit 2) before anything is touched when drills are not allowed and --yes is missing. */
    static void requireAllowedOrYes(ClusterSpec cluster, boolean yes) {
        if (cluster.drills() != ClusterSpec.DrillPolicy.allowed && !yes) {
            throw ConnectError.invalidInput("the cluster file does not allow drills (drills: allowed); give --yes to run one anyway");
        }
    }

    /** Asks on the terminal when the cluster file does not allow drills. */
    static void confirm(CommandSpec spec, ClusterSpec cluster, String kind, boolean yes) {
        if (cluster.drills() != ClusterSpec.DrillPolicy.allowed) {
            Confirmation.onTerminal(spec).require("run a " + kind + " drill on " + cluster.name(), yes);
        }
    }
}
