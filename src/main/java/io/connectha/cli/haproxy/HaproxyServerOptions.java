package io.connectha.cli.haproxy;

import io.connectha.cli.CommandContext;
import io.connectha.cli.TimeoutOptions;
import io.connectha.haproxy.HaproxyServerControl;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** What enable and disable share: the server, the backends, and the admin socket's deadline. */
public final class HaproxyServerOptions {

    @Parameters(index = "0", paramLabel = "SERVER", description = "The server: a member name, as in the cluster file.")
    String server;

    @Option(names = "--backend", defaultValue = "all", paramLabel = "BACKEND",
            description = "write, read or all (default: ${DEFAULT-VALUE}).")
    HaproxyServerControl.Backends backends;

    @Option(names = "--dry-run", description = "Say what would be sent; read the server's state, but change nothing.")
    boolean dryRun;

    @Option(names = "--timeout", defaultValue = "2s", paramLabel = "TIME",
            description = "Deadline for each command on the admin socket (default: ${DEFAULT-VALUE}).")
    String timeout;

    HaproxyServerControl control(CommandSpec spec) {
        return new HaproxyServerControl(CommandContext.loadCluster(spec).spec().haproxy(), TimeoutOptions.parseOption("--timeout", timeout));
    }
}
