package io.connectha.cli.etcd;

import io.connectha.cli.CommandContext;
import io.connectha.cli.ExitCodes;
import io.connectha.cli.ExitException;
import io.connectha.cli.OutputOptions;
import io.connectha.etcd.EtcdService;
import io.connectha.etcd.EtcdStatus;
import io.connectha.etcd.EtcdTimeouts;
import io.connectha.render.EtcdView;
import io.connectha.render.Renderer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "status", mixinStandardHelpOptions = true,
        description = {"Show whether each etcd endpoint answers, and who holds Patroni's leader key.",
                "Each etcd endpoint of the cluster file: whether it answers, its version, database size, raft leader, term and index;",
                "then who holds Patroni's leader key and how long its lease has left.",
                "Exit 0 when every endpoint answers, there is a raft leader and a member holds Patroni's leader key;",
                "5 when an endpoint did not answer (the others are still shown); 1 when there is no raft leader or no Patroni leader."})
public final class EtcdStatusCommand implements Runnable {

    @Mixin
    OutputOptions output;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        EtcdStatus status;
        EtcdTimeouts timeouts;
        try (EtcdService etcd = EtcdService.open(CommandContext.loadCluster(spec).spec())) {
            status = etcd.status();
            timeouts = etcd.timeouts();
        }
        Renderer.print(spec.commandLine().getOut(), output.format(), status, out -> EtcdView.print(out, status));
        if (!status.unreachable().isEmpty()) {
            throw EtcdService.unreachable(status.unreachable(), timeouts, null);
        }
        if (!status.hasRaftLeader()) {
            throw new ExitException(ExitCodes.FAILURE, "etcd has no raft leader: it cannot accept writes, and Patroni cannot renew its leader key");
        }
        if (!status.hasPatroniLeader()) {
            throw new ExitException(ExitCodes.FAILURE, "no Patroni leader: " + status.patroniLeader().key() + " is not held");
        }
    }
}
