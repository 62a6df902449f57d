package io.connectha.cli.replication;

import io.connectha.cli.TimeoutOptions;
import io.connectha.cli.ExitCodes;
import io.connectha.cli.ExitException;
import io.connectha.cli.OutputOptions;
import io.connectha.render.ReplicationView;
import io.connectha.render.Renderer;
import io.connectha.replication.ReplicationStatus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "status",
        exitCodeList = {ExitCodes.LINE_OK, ExitCodes.LINE_FAILURE, ExitCodes.LINE_USAGE, ExitCodes.LINE_DEGRADED, ExitCodes.LINE_UNREACHABLE, ExitCodes.LINE_AUTHENTICATION_FAILED, ExitCodes.LINE_INTERRUPTED},
        mixinStandardHelpOptions = true,
        description = {"Show each member's recovery state, replication and slots.",
                "Each member's recovery state, and pg_stat_replication and the slots on the primary, read with the",
                "same queries as connect ha status. Exit 0 when there is one primary and every standby streams; 4 when not;",
                "5 when a member did not answer; 6 when one refused the superuser's credentials."})
public final class ReplicationStatusCommand implements Runnable {

    @Mixin
    OutputOptions output;

    @Mixin
    ReplicationOptions options;

    @Mixin
    TimeoutOptions timeouts;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        ReplicationStatus status = ReplicationStatus.read(options.context(spec, timeouts));
        Renderer.print(spec.commandLine().getOut(), output.format(), status, w -> ReplicationView.status(w, status));
        if (!status.healthy()) {
            throw new ExitException(status.anyAuthenticationFailed() ? ExitCodes.AUTHENTICATION_FAILED
                    : status.anyUnreachable() ? ExitCodes.UNREACHABLE : ExitCodes.DEGRADED, null);
        }
    }
}
