package io.connectha.cli.replication;

import io.connectha.cli.ExitCodes;
import io.connectha.cli.TimeoutOptions;
import io.connectha.cli.DryRunOption;
import io.connectha.cli.OutputOptions;
import io.connectha.render.ReplicationView;
import io.connectha.render.Renderer;
import io.connectha.replication.ReplicationSetup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.time.Clock;

@Command(name = "setup",
        exitCodeList = {ExitCodes.LINE_OK, ExitCodes.LINE_FAILURE, ExitCodes.LINE_USAGE, ExitCodes.LINE_UNREACHABLE, ExitCodes.LINE_AUTHENTICATION_FAILED, ExitCodes.LINE_MISSING_PROGRAM, ExitCodes.LINE_INTERRUPTED},
        mixinStandardHelpOptions = true,
        description = {"Prepare the primary for streaming replication.",
                "Prepares the primary for streaming replication, as the superuser: the replication role with a SCRAM",
                "password from the replication secret, a physical slot per standby, wal_level, max_wal_senders,",
                "max_replication_slots, wal_keep_size, hot_standby, hot_standby_feedback and wal_log_hints with ALTER SYSTEM,",
                "and the replication lines in pg_hba.conf (printed when that file is not on this machine); then reloads.",
                "Says which settings still need a restart; --restart restarts. A second run changes nothing."})
public final class ReplicationSetupCommand implements Runnable {

    @Mixin
    OutputOptions output;

    @Mixin
    ReplicationOptions options;

    @Mixin
    TimeoutOptions timeouts;

    @Option(names = "--primary", paramLabel = "HOST:PORT", description = "The primary (default: the cluster file's first member).")
    String primary;

    @Mixin
    DryRunOption dryRun;

    @Option(names = "--restart", description = "Restart the primary (pg_ctl restart, as postgres) when a setting needs it.")
    boolean restart;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        ReplicationSetup.Result result = new ReplicationSetup(options.context(spec, timeouts), Clock.systemUTC())
                .run(primary, dryRun.on(), restart, options.timeout());
        Renderer.print(spec.commandLine().getOut(), output.format(), result, w -> ReplicationView.setup(w, result));
    }
}
