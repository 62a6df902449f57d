package io.connectha.cli.patroni;

import io.connectha.cli.OutputOptions;
import io.connectha.cli.TimeoutOptions;
import io.connectha.patroni.PatroniCluster;
import io.connectha.patroni.PatroniService;
import io.connectha.render.PatroniView;
import io.connectha.render.Renderer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "list", mixinStandardHelpOptions = true,
        description = {"The members as Patroni sees them, like `patronictl list`: role, state, timeline and Patroni's own lag.",
                "Patroni's lag comes from the DCS and can be a loop old; `connect ha status` asks PostgreSQL itself."})
public final class PatroniListCommand implements Runnable {

    @Mixin
    OutputOptions output;

    @Mixin
    TimeoutOptions timeouts;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        try (PatroniService patroni = PatroniServices.open(spec, timeouts)) {
            PatroniCluster cluster = patroni.cluster();
            Renderer.print(spec.commandLine().getOut(), output.format(), cluster, out -> PatroniView.list(out, cluster));
        }
    }
}
