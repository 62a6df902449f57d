package io.connectha.cli.patroni;

import com.fasterxml.jackson.databind.JsonNode;
import io.connectha.cli.OutputOptions;
import io.connectha.cli.TimeoutOptions;
import io.connectha.patroni.PatroniService;
import io.connectha.render.Renderer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "show-config", mixinStandardHelpOptions = true,
        description = {"Show the dynamic configuration Patroni keeps in etcd.",
                "It starts as bootstrap.dcs and changes with edit-config. Table output is YAML."})
public final class PatroniShowConfigCommand implements Runnable {

    @Mixin
    OutputOptions output;

    @Mixin
    TimeoutOptions timeouts;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        try (PatroniService patroni = PatroniServices.open(spec, timeouts)) {
            JsonNode config = patroni.config();
            Renderer.print(spec.commandLine().getOut(), output.format(), config, out -> out.print(Renderer.yaml(config)));
        }
    }
}
