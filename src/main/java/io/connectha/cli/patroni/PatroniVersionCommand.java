package io.connectha.cli.patroni;

import io.connectha.cli.ExitCodes;
import io.connectha.cli.ExitException;
import io.connectha.cli.OutputOptions;
import io.connectha.cli.TimeoutOptions;
import io.connectha.patroni.MemberOperations;
import io.connectha.patroni.PatroniService;
import io.connectha.render.PatroniMemberView;
import io.connectha.render.Renderer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.util.List;

@Command(name = "version", mixinStandardHelpOptions = true,
        description = {"Patroni's and PostgreSQL's versions, member by member (patronictl version), to follow a rolling upgrade.",
                "Every member is asked at once; one that does not answer is shown with why, and the exit code is 5."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {ExitCodes.LINE_OK, ExitCodes.LINE_USAGE,
                "  5:Some member's Patroni did not answer in time (the others are shown).", ExitCodes.LINE_INTERRUPTED})
public final class PatroniVersionCommand implements Runnable {

    @Parameters(paramLabel = "MEMBER", arity = "0..*", description = "The members (default: every member).")
    List<String> members = List.of();

    @Mixin
    OutputOptions output;

    @Mixin
    TimeoutOptions timeouts;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        try (PatroniService patroni = PatroniServices.open(spec, timeouts)) {
            MemberOperations.Versions result = new MemberOperations(patroni).versions(members);
            Renderer.print(spec.commandLine().getOut(), output.format(), result, out -> PatroniMemberView.versions(out, result));
            if (result.anyUnanswered()) {
                throw new ExitException(ExitCodes.UNREACHABLE, null);
            }
        }
    }
}
