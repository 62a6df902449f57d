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
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.util.List;

@Command(name = "promote",
        exitCodeList = {ExitCodes.LINE_OK, ExitCodes.LINE_FAILURE, ExitCodes.LINE_USAGE, ExitCodes.LINE_UNREACHABLE, ExitCodes.LINE_AUTHENTICATION_FAILED, ExitCodes.LINE_MISSING_PROGRAM, ExitCodes.LINE_INTERRUPTED},
        mixinStandardHelpOptions = true,
        description = {"Promote a standby to primary.",
                "Promotes a standby with pg_promote(wait => true) and reports how long it took. The old primary must",
                "never come back as a writer: stop it, then make it a standby with replication rejoin."})
public final class ReplicationPromoteCommand implements Runnable {

    @Mixin
    OutputOptions output;

    @Mixin
    ReplicationOptions options;

    @Mixin
    TimeoutOptions timeouts;

    @Option(names = "--member", required = true, paramLabel = "NAME", description = "The standby to promote.")
    String member;

    @Mixin
    YesOption confirm;

    @Mixin
    DryRunOption dryRun;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        Promotion promotion = new Promotion(options.context(spec, timeouts), CommandContext.progress(spec));
        MemberSpec m = promotion.checkPromotable(member);
        if (dryRun.on()) {
            ReplicationView.plan(spec.commandLine().getOut(), java.util.List.of("on " + m.address()
                    + ": SELECT pg_promote(wait => true, wait_seconds => " + Math.max(1, options.timeout().toSeconds()) + ")"));
            return;
        }
        List<String> old = promotion.otherPrimaries(member);
        String oldName = old.isEmpty() ? "the old primary" : String.join(", ", old);
        Confirmation.onTerminal(spec).require("Promote " + member + " to a primary; " + oldName
                + " must then never take writes again", confirm.yes());
        Promotion.PromoteResult result = promotion.promote(m, options.timeout());
        Renderer.print(spec.commandLine().getOut(), output.format(), result, w -> ReplicationView.promote(w, result));
        CommandContext.progress(spec).warn(oldName + " must never come back as a writer: two primaries lose writes. Stop it now, "
                + "and make it a standby with `connect ha replication rejoin --member " + (old.size() == 1 ? old.get(0) : "NAME") + "`");
    }
}
