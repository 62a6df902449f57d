package io.connectha.cli.patroni;

import io.connectha.cli.Confirmation;
import io.connectha.cli.DryRunOption;
import io.connectha.cli.OutputOptions;
import io.connectha.cli.TimeoutOptions;
import io.connectha.cli.YesOption;
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

@Command(name = "reload", mixinStandardHelpOptions = true,
        description = {"Have Patroni re-read its configuration file, and PostgreSQL reload its own (patronictl reload).",
                "Nothing restarts; a setting that needs a restart shows as pending restart afterwards."})
public final class PatroniReloadCommand implements Runnable {

    @Parameters(paramLabel = "MEMBER", arity = "0..*", description = "The members to reload (default: every member the --role admits).")
    List<String> members = List.of();

    @Mixin
    RoleOption roles;

    @Mixin
    YesOption confirm;

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
        try (PatroniService patroni = PatroniServices.open(spec, timeouts)) {
            patroni.members(members);
            if (!dryRun.on()) {
                Confirmation.onTerminal(spec).require("reload Patroni's configuration on "
                        + (members.isEmpty() ? "every " + (roles.role() == RollingRestart.RoleFilter.any ? "member" : roles.role()) : String.join(", ", members)), confirm.yes());
            }
            MemberOperations.Replies result = new MemberOperations(patroni).reload(members, roles.role(), dryRun.on());
            Renderer.print(spec.commandLine().getOut(), output.format(), result, out -> PatroniMemberView.replies(out, result));
            PatroniServices.exitOn(result);
        }
    }
}
