package io.connectha.cli.etcd;

import io.connectha.cli.GroupCommand;
import picocli.CommandLine.Command;

@Command(name = "etcd", mixinStandardHelpOptions = true,
        description = {"Look at the etcd cluster Patroni keeps its state in (v3 API), at the endpoints of the cluster file.",
                "Patroni's keys live under <namespace>/<scope>/, from patroni.namespace and",
                "patroni.scope in the cluster file; their JSON values are shown decoded."},
        subcommands = {EtcdStatusCommand.class, EtcdMembersCommand.class, EtcdGetCommand.class, EtcdKeysCommand.class})
public final class EtcdCommand extends GroupCommand {
}
