package io.connectha.replication;

import io.connectha.cluster.MemberSpec;
import io.connectha.error.ConnectError;
import io.connectha.process.ProcessController;
import io.connectha.pg.ReplicationConnection;
import io.connectha.pg.ReplicationQueries;
import io.connectha.pg.Sql;

import java.sql.Connection;
import java.time.Duration;

/** Waits until the primary's pg_stat_replication shows a member streaming. */
final class Streaming {

    private Streaming() {
    }

    static Duration await(ReplicationContext context, MemberSpec primary, MemberSpec standby, Duration deadline) {
        Connection c = context.superuser(primary);
        try {
            return ProcessController.awaitReady(standby.name() + " streaming from " + primary.name(), deadline, Duration.ofMillis(100),
                    () -> ReplicationQueries.replication(c).stream().anyMatch(r -> r.applicationName().equals(standby.name())
                            && "streaming".equals(r.state())));
        } catch (ConnectError e) {
            throw new ConnectError(ConnectError.Kind.FAILURE, e.getMessage() + "; see the server log under "
                    + context.control().logDir(java.nio.file.Path.of(standby.dataDir())), e);
        } finally {
            Sql.close(c);
        }
    }
}
