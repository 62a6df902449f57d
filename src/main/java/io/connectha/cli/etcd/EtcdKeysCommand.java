package io.connectha.cli.etcd;

import io.connectha.cli.CommandContext;
import io.connectha.cli.OutputOptions;
import io.connectha.etcd.EtcdKeyListing;
import io.connectha.etcd.EtcdService;
import io.connectha.render.EtcdView;
import io.connectha.render.Renderer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.util.Optional;

@Command(name = "keys", mixinStandardHelpOptions = true,
        description = {"The keys under PREFIX, sorted, with each value's size, mod revision, lease and the lease's time left.",
                "Values are not shown: use get."})
public final class EtcdKeysCommand implements Runnable {

    @Parameters(paramLabel = "PREFIX", arity = "0..1",
            description = "Absolute, or relative to the cluster's Patroni prefix (default: that prefix, /<namespace>/<scope>/).")
    String prefix;

    @Option(names = "--all", description = "Every key in etcd, whatever cluster or program wrote it.")
    boolean all;

    @Mixin
    OutputOptions output;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        if (all && prefix != null) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "give either PREFIX or --all, not both");
        }
        EtcdKeyListing listing;
        try (EtcdService etcd = EtcdService.open(CommandContext.loadCluster(spec).spec())) {
            listing = etcd.keys(all ? Optional.empty() : Optional.of(prefix == null ? etcd.patroniKeys().prefix() : prefix));
        }
        Renderer.print(spec.commandLine().getOut(), output.format(), listing, out -> EtcdView.print(out, listing));
    }
}
