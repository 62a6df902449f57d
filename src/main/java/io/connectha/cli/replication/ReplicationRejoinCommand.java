package io.connectha.cli.replication;

import io.connectha.cli.ExitCodes;
import io.connectha.cli.TimeoutOptions;
import io.connectha.cli.YesOption;
import io.connectha.cli.DryRunOption;
import io.connectha.cli.CommandContext;
import io.connectha.cli.Confirmation;
import io.connectha.cli.OutputOptions;
import io.connectha.cluster.MemberSpec;
import io.connectha.render.ReplicationView;
import io.connectha.render.Renderer;
import io.connectha.replication.Promotion;
import io.connectha.replication.ReplicationContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "rejoin",
        exitCodeList = {ExitCodes.LINE_OK, ExitCodes.LINE_FAILURE, ExitCodes.LINE_USAGE, ExitCodes.LINE_UNREACHABLE, ExitCodes.LINE_AUTHENTICATION_FAILED, ExitCodes.LINE_MISSING_PROGRAM, ExitCodes.LINE_INTERRUPTED},
        mixinStandardHelpOptions = true,
        description = {"Make a former primary a standby of the new one.",
                "Turns a former primary into a standby of the new one: stops it (fast), pg_rewind from the new primary",
                "(as postgres, the superuser's password in a private 0600 passfile),",
                "standby.signal, primary_conninfo and its",
                "slot (created on the new primary), start, and a wait until it streams. The member's data directory must be here."})
public final class ReplicationRejoinCommand implements Runnable {

    @Mixin
    OutputOptions output;

    @Mixin
    ReplicationOptions options;

    @Mixin
    TimeoutOptions timeouts;

    @Option(names = "--member", required = true, paramLabel = "NAME", description = "The former primary.")
    String member;

    @Option(names = "--primary", paramLabel = "HOST:PORT",
            description = "The new primary (default: the member that answers and is not in recovery).")
    String primary;

    @Mixin
    YesOption confirm;

    @Mixin
    DryRunOption dryRun;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        ReplicationContext context = options.context(spec, timeouts);
        Promotion promotion = new Promotion(context, CommandContext.progress(spec));
        MemberSpec m = context.member(member);
        MemberSpec upstream = primary != null ? context.primary(primary) : promotion.currentPrimary(member);
        if (dryRun.on()) {
            ReplicationView.plan(spec.commandLine().getOut(), promotion.planRejoin(m, upstream));
            return;
        }
        Confirmation.onTerminal(spec).require("Stop " + member + ", rewind it to " + upstream.name()
                + " (its writes since the promotion are discarded) and start it as a standby", confirm.yes());
        boolean slotCreated = promotion.prepareRejoin(m, upstream);
        Promotion.RejoinResult result = promotion.rejoin(m, upstream, slotCreated, options.timeout());
        Renderer.print(spec.commandLine().getOut(), output.format(), result, w -> ReplicationView.rejoin(w, result));
    }
}
