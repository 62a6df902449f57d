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
}
