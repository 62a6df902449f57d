package io.connectha.cli.etcd;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "etcd", mixinStandardHelpOptions = true,
        description = {"Look at the etcd cluster Patroni keeps its state in (v3 API), at the endpoints of the cluster file.",
                "Patroni's keys live under <namespace>/<scope>/ (patroni.namespace, patroni.scope); their JSON values are shown decoded."},
        subcommands = {EtcdStatusCommand.class, EtcdMembersCommand.class, EtcdGetCommand.class, EtcdKeysCommand.class})
public final class EtcdCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
