package io.connectha.cli.patroni;

import io.connectha.cli.CommandContext;
import io.connectha.cli.TimeoutOptions;
import io.connectha.cluster.LoadedCluster;
import io.connectha.cluster.SecretResolver;
import io.connectha.patroni.PatroniService;
import picocli.CommandLine.Model.CommandSpec;

/** How the patroni commands get their service: the cluster file, its secrets, and the timeouts given. */
final class PatroniServices {

    private PatroniServices() {
    }

    static PatroniService open(CommandSpec spec, TimeoutOptions timeouts) {
        LoadedCluster cluster = CommandContext.loadCluster(spec);
        return new PatroniService(cluster, new SecretResolver(cluster), timeouts.connect(), timeouts.read());
    }

    /** Per-member changes: 5 when no member answered, 1 when some refused or did not answer (each shown with why). */
    static void exitOn(io.connectha.patroni.MemberOperations.Replies result) {
        if (result.noneAnswered()) {
            throw new io.connectha.cli.ExitException(io.connectha.cli.ExitCodes.UNREACHABLE, null);
        }
        if (result.anyFailed()) {
            throw new io.connectha.cli.ExitException(io.connectha.cli.ExitCodes.FAILURE, null);
        }
    }
}
