package io.connectha.cli.etcd;

import io.connectha.cli.CommandContext;
import io.connectha.cli.ExitCodes;
import io.connectha.cli.ExitException;
import io.connectha.cli.OutputOptions;
import io.connectha.etcd.EtcdEntry;
import io.connectha.etcd.EtcdService;
import io.connectha.render.EtcdView;
import io.connectha.render.Renderer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.util.Optional;

@Command(name = "get", mixinStandardHelpOptions = true,
        description = {"One key: its value, create and mod revision, version, and lease with the time it has left.",
                "Patroni's JSON values (members/<name>, config, history, status, sync, failover, failsafe) are decoded:",
                "pretty-printed in the table, embedded as JSON in -o json and -o yaml. Exit 1 when the key does not exist."})
public final class EtcdGetCommand implements Runnable {

    @Parameters(paramLabel = "KEY",
            description = "Absolute (/service/lab/leader), or relative to the cluster's Patroni prefix (leader, members/pg1).")
    String key;

    @Mixin
    OutputOptions output;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        Optional<EtcdEntry> entry;
        String absolute;
        try (EtcdService etcd = EtcdService.open(CommandContext.loadCluster(spec).spec())) {
            absolute = etcd.patroniKeys().resolve(key);
            entry = etcd.get(absolute);
        }
        if (entry.isEmpty()) {
            throw new ExitException(ExitCodes.FAILURE, "no key " + absolute + " in etcd");
        }
        Renderer.print(spec.commandLine().getOut(), output.format(), entry.get(), out -> EtcdView.print(out, entry.get()));
    }
}
