package io.connectha.cli.replication;

import io.connectha.cli.CommandContext;
import io.connectha.cli.QuantityConverters;
import io.connectha.cli.TimeoutOptions;
import io.connectha.cluster.LoadedCluster;
import io.connectha.cluster.SecretResolver;
import io.connectha.replication.PostgresControl;
import io.connectha.replication.ReplicationContext;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Options every replication command shares, and the context they build. Each command also declares the
 * {@link TimeoutOptions} mixin itself: a mixin with mixins of its own cannot be replayed at start-up.
 */
public final class ReplicationOptions {

    @Option(names = "--timeout", converter = QuantityConverters.PositiveTime.class, defaultValue = "120s", paramLabel = "TIME",
            description = "How long to wait for a server to start, stop, promote or stream (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Option(names = "--log-dir", paramLabel = "DIR",
            description = "Where pg_ctl, pg_basebackup, pg_rewind and started servers log (default: logs next to the data directory).")
    Path logDir;

    public Duration timeout() {
        return timeout;
    }

    public ReplicationContext context(CommandSpec spec, TimeoutOptions timeouts) {
        LoadedCluster cluster = CommandContext.loadCluster(spec);
        return new ReplicationContext(cluster, new SecretResolver(cluster), timeouts.connect(), timeouts.read(),
                new PostgresControl(cluster.spec().postgresql().binDir(), logDir));
    }
}
