package io.connectha.cli.haproxy;

import io.connectha.cli.CommandContext;
import io.connectha.cli.QuantityConverters;
import io.connectha.haproxy.HaproxyServerControl;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.time.Duration;

/** What enable and disable share: the server, the backends, and the admin socket's deadline (--dry-run is the commands' own: mixins do not nest). */
public final class HaproxyServerOptions {

    @Parameters(index = "0", paramLabel = "SERVER", description = "The server: a member name, as in the cluster file (matched to HAProxy's server by its address and port), HAProxy's own name for it, or its address HOST:PORT.")
    String server;

    @Option(names = "--backend", defaultValue = "all", paramLabel = "BACKEND",
            description = "write, read or all, by the names the cluster file gives them (default: ${DEFAULT-VALUE}).")
    HaproxyServerControl.Backends backends;

    @Option(names = "--timeout", converter = QuantityConverters.PositiveTime.class, defaultValue = "2s", paramLabel = "TIME",
            description = "Deadline for each command on the admin socket (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    HaproxyServerControl control(CommandSpec spec) {
        io.connectha.cluster.ClusterSpec cluster = CommandContext.loadCluster(spec).spec();
        return new HaproxyServerControl(cluster.haproxy(), cluster.members(), timeout);
    }
}
