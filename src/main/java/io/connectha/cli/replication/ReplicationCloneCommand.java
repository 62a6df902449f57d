package io.connectha.cli.replication;

import io.connectha.cli.ExitCodes;
import io.connectha.cli.TimeoutOptions;
import io.connectha.cli.YesOption;
import io.connectha.cli.DryRunOption;
import io.connectha.cli.CommandContext;
import io.connectha.cli.Confirmation;
import io.connectha.cli.OutputOptions;
import io.connectha.render.ReplicationView;
import io.connectha.render.Renderer;
import io.connectha.replication.StandbyClone;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "clone",
        exitCodeList = {ExitCodes.LINE_OK, ExitCodes.LINE_FAILURE, ExitCodes.LINE_USAGE, ExitCodes.LINE_UNREACHABLE, ExitCodes.LINE_AUTHENTICATION_FAILED, ExitCodes.LINE_MISSING_PROGRAM, ExitCodes.LINE_INTERRUPTED},
        mixinStandardHelpOptions = true,
        description = {"Clone the primary into a member and start it as a streaming standby.",
                "Makes a member a streaming standby: pg_basebackup -R -S SLOT -X stream -c fast -P from the primary into",
                "the member's data directory (as the postgres user, the password from a 0600 passfile), its own settings",
                "(port, listen_addresses, primary_conninfo, primary_slot_name, hot_standby) in postgresql.auto.conf, then",
                "pg_ctl start and a wait until the primary shows it streaming. Refuses a non-empty directory unless --force."})
public final class ReplicationCloneCommand implements Runnable {

    @Mixin
    OutputOptions output;

    @Mixin
    ReplicationOptions options;

    @Mixin
    TimeoutOptions timeouts;

    @Option(names = "--member", required = true, paramLabel = "NAME", description = "The member to make a standby.")
    String member;

    @Option(names = "--primary", paramLabel = "HOST:PORT", description = "The primary (default: the cluster file's first member).")
    String primary;

    @Option(names = "--force", description = "Replace the contents of a non-empty data directory (asks first unless --yes).")
    boolean force;

    @Mixin
    YesOption confirm;

    @Mixin
    DryRunOption dryRun;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        StandbyClone clone = new StandbyClone(options.context(spec, timeouts), CommandContext.progress(spec));
        if (dryRun.on()) {
            ReplicationView.plan(spec.commandLine().getOut(), clone.plan(member, primary, force));
            return;
        }
        StandbyClone.Result result = clone.run(member, primary, force, () -> Confirmation.onTerminal(spec)
                .require("Delete everything in the data directory of " + member + " and clone it again", confirm.yes()), options.timeout());
        Renderer.print(spec.commandLine().getOut(), output.format(), result, w -> ReplicationView.clone(w, result));
    }
}
