package io.connectha.cli.patroni;

import io.connectha.cli.OutputOptions;
import io.connectha.cli.TimeoutOptions;
import io.connectha.patroni.HistoryEntry;
import io.connectha.patroni.PatroniService;
import io.connectha.render.PatroniView;
import io.connectha.render.Renderer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.util.List;

@Command(name = "history", mixinStandardHelpOptions = true,
        description = "Timeline switches, oldest first: the timeline that ended, at which LSN, why, when, and the new leader.")
public final class PatroniHistoryCommand implements Runnable {

    @Mixin
    OutputOptions output;

    @Mixin
    TimeoutOptions timeouts;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        try (PatroniService patroni = PatroniServices.open(spec, timeouts)) {
            List<HistoryEntry> history = patroni.history();
            Renderer.print(spec.commandLine().getOut(), output.format(), history, out -> PatroniView.history(out, history));
        }
    }
}
