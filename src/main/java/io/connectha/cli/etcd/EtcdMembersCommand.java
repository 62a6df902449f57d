package io.connectha.cli.etcd;

import io.connectha.cli.CommandContext;
import io.connectha.cli.OutputOptions;
import io.connectha.etcd.EtcdMember;
import io.connectha.etcd.EtcdService;
import io.connectha.render.EtcdView;
import io.connectha.render.Renderer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.util.List;

@Command(name = "members", mixinStandardHelpOptions = true,
        description = {"List etcd's members and say which one is the raft leader.",
                "As the first endpoint that answers gives it: id (hex), name, peer and client URLs,",
                "and which member is the raft leader. Exit 5 when no endpoint answers."})
public final class EtcdMembersCommand implements Runnable {

    @Mixin
    OutputOptions output;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        List<EtcdMember> members;
        try (EtcdService etcd = EtcdService.open(CommandContext.loadCluster(spec).spec())) {
            members = etcd.members();
        }
        Renderer.print(spec.commandLine().getOut(), output.format(), members, out -> EtcdView.print(out, members));
    }
}
