package io.connectha.cli.replication;

import io.connectha.cli.CommandContext;
import io.connectha.cli.ExitCodes;
import io.connectha.cli.ExitException;
import io.connectha.cli.OutputOptions;
import io.connectha.cli.QuantityConverters;
import io.connectha.cli.TimeoutOptions;
import io.connectha.render.ReplicationView;
import io.connectha.render.Renderer;
import io.connectha.replication.ReplicationVerify;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "verify",
        exitCodeList = {ExitCodes.LINE_OK, ExitCodes.LINE_FAILURE, ExitCodes.LINE_USAGE, ExitCodes.LINE_DEGRADED, ExitCodes.LINE_UNREACHABLE, ExitCodes.LINE_AUTHENTICATION_FAILED, ExitCodes.LINE_INTERRUPTED},
        mixinStandardHelpOptions = true,
        description = {"Measure how long a change on the primary takes to reach every standby.",
                "Writes to a scratch table on the primary (N inserts, then N updates) and times how long each change",
                "takes to be visible on every standby: p50, p95 and max in ms. Checks the row counts match, then drops the table.",
                "Exit 4 when a standby does not catch up within --deadline or its counts differ."})
public final class ReplicationVerifyCommand implements Runnable {

    @Mixin
    OutputOptions output;

    @Mixin
    ReplicationOptions options;

    @Mixin
    TimeoutOptions timeouts;

    @Option(names = "--rows", defaultValue = "100", paramLabel = "N", description = "Rows to insert and update (default: ${DEFAULT-VALUE}).")
    int rows;

    @Option(names = "--deadline", converter = QuantityConverters.PositiveTime.class, defaultValue = "10s", paramLabel = "TIME",
            description = "How long one change may take to reach a standby (default: ${DEFAULT-VALUE}).")
    java.time.Duration deadline;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        if (rows < 1) {
            throw new ExitException(ExitCodes.USAGE, "--rows must be at least 1");
        }
        ReplicationVerify.Result result = new ReplicationVerify(options.context(spec, timeouts), CommandContext.progress(spec))
                .run(rows, deadline);
        Renderer.print(spec.commandLine().getOut(), output.format(), result, w -> ReplicationView.verify(w, result));
        if (!result.passed()) {
            throw new ExitException(ExitCodes.DEGRADED, "a standby did not catch up or its rows differ");
        }
    }
}
