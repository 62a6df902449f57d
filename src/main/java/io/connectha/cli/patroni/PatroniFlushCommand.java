package io.connectha.cli.patroni;

import io.connectha.cli.DryRunOption;
import io.connectha.cli.OutputOptions;
import io.connectha.cli.TimeoutOptions;
import io.connectha.patroni.MemberOperations;
import io.connectha.patroni.PatroniService;
import io.connectha.patroni.RollingRestart;
import io.connectha.render.PatroniMemberView;
import io.connectha.render.Renderer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.util.List;

@Command(name = "flush", mixinStandardHelpOptions = true,
        description = {"Cancel scheduled restarts or the scheduled switchover (patronictl flush).",
                "Only what is scheduled is cancelled; with nothing scheduled it says so and exits 0, so it is safe to run twice."})
public final class PatroniFlushCommand implements Runnable {

    /** What to cancel. */
    enum Target { restart, switchover }

    @Parameters(index = "0", paramLabel = "restart|switchover", description = "restart: members' scheduled restarts; switchover: the cluster's scheduled switchover.")
    Target target;

    @Parameters(index = "1..*", arity = "0..*", paramLabel = "MEMBER", description = "With restart: the members (default: every member the --role admits).")
    List<String> members = List.of();

    @Mixin
    RoleOption roles;

    @Mixin
    DryRunOption dryRun;

    @Mixin
    OutputOptions output;

    @Mixin
    TimeoutOptions timeouts;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        if (target == Target.switchover && !members.isEmpty()) {
            throw io.connectha.error.ConnectError.invalidInput("flush switchover takes no MEMBER: the scheduled switchover is the cluster's");
        }
        try (PatroniService patroni = PatroniServices.open(spec, timeouts)) {
            MemberOperations ops = new MemberOperations(patroni);
            MemberOperations.Replies result = target == Target.restart ? ops.flushRestarts(members, roles.role(), dryRun.on())
                    : ops.flushSwitchover(dryRun.on());
            Renderer.print(spec.commandLine().getOut(), output.format(), result, out -> PatroniMemberView.replies(out, result));
            PatroniServices.exitOn(result);
        }
    }
}
