package io.connectha.cli.haproxy;

import io.connectha.cli.CommandContext;
import io.connectha.cli.ExitCodes;
import io.connectha.cli.ExitException;
import io.connectha.cli.OutputOptions;
import io.connectha.cli.TimeoutOptions;
import io.connectha.cluster.LoadedCluster;
import io.connectha.cluster.SecretResolver;
import io.connectha.haproxy.HaproxyStatus;
import io.connectha.haproxy.HaproxyStatusService;
import io.connectha.render.HaproxyView;
import io.connectha.render.Renderer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "status",
        exitCodeList = {ExitCodes.LINE_OK, ExitCodes.LINE_FAILURE, ExitCodes.LINE_USAGE, ExitCodes.LINE_DEGRADED, ExitCodes.LINE_UNREACHABLE, ExitCodes.LINE_AUTHENTICATION_FAILED, ExitCodes.LINE_INTERRUPTED},
        mixinStandardHelpOptions = true,
        description = {"Show each server of HAProxy's backends and where the write port leads.",
                "Every server of the write and read backends: status (UP, DOWN, MAINT, DRAIN), last health check,",
                "current sessions, time since it changed; then which member a connection through the write port reaches.",
                "Read from the admin socket when this user can open it, else from the stats page.",
                "Exit 4 when the write backend has no server UP or more than one, or the write port fails or reaches a replica."})
public final class HaproxyStatusCommand implements Runnable {

    @Mixin
    OutputOptions output;

    @Mixin
    TimeoutOptions timeouts;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        LoadedCluster cluster = CommandContext.loadCluster(spec);
        HaproxyStatus status = new HaproxyStatusService(cluster, new SecretResolver(cluster), timeouts.connect(), timeouts.read()).check();
        Renderer.print(spec.commandLine().getOut(), output.format(), status, out -> HaproxyView.print(out, status));
        if (!status.healthy()) {
            throw new ExitException(ExitCodes.DEGRADED, null);
        }
    }
}
