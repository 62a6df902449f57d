package io.connectha.cli.replication;

import io.connectha.cli.CommandContext;
import io.connectha.cli.TimeoutOptions;
import io.connectha.cluster.LoadedCluster;
import io.connectha.cluster.SecretResolver;
import io.connectha.replication.PostgresControl;
import io.connectha.replication.ReplicationContext;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Duration;

/** Options every replication command shares, and the context they build. */
public final class ReplicationOptions {

    @Mixin
    TimeoutOptions timeouts;

    @Option(names = "--timeout", defaultValue = "120s", paramLabel = "TIME",
            description = "How long to wait for a server to start, stop, promote or stream (default: ${DEFAULT-VALUE}).")
    String timeout;

    @Option(names = "--log-dir", paramLabel = "DIR",
            description = "Where pg_ctl, pg_basebackup, pg_rewind and started servers log (default: logs next to the data directory).")
    Path logDir;

    public Duration timeout() {
        return TimeoutOptions.parseOption("--timeout", timeout);
    }

    public ReplicationContext context(CommandSpec spec) {
        LoadedCluster cluster = CommandContext.loadCluster(spec);
        return new ReplicationContext(cluster, new SecretResolver(cluster), timeouts.connect(), timeouts.read(),
                new PostgresControl(cluster.spec().postgresql().binDir(), logDir));
    }
}
