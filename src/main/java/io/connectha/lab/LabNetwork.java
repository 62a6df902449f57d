package io.connectha.lab;

import io.connectha.error.ConnectError;

import java.util.Collection;

/**
 * The network of a lab whose hosts are network namespaces: partitions between them, made with nft rules inside
 * the namespaces and taken away by {@link #heal}. Every rule lives in a table of its own in a lab namespace, so
 * deleting the namespace (lab down) removes it too.
 */
public final class LabNetwork {

    private final LabLayout layout;

    LabNetwork(LabLayout layout) {
        this.layout = layout;
    }

    /** The address a client in the host namespace binds to be on the leader's side of every partition. */
    public String leaderSideClientAddress() {
        throw new ConnectError(ConnectError.Kind.FAILURE, "not built yet: " + layout.dir());
    }

    /** Cuts a member's host off from every other lab host; with {@code inboundOnly} it can still send. */
    public void isolate(String member, boolean inboundOnly) {
        throw new ConnectError(ConnectError.Kind.FAILURE, "not built yet: " + member + inboundOnly);
    }

    /** Cuts a member's host off from etcd: every other host's etcd client and peer ports, both ways. */
    public void cutEtcd(String member) {
        throw new ConnectError(ConnectError.Kind.FAILURE, "not built yet: " + member);
    }

    /** Splits the member hosts: those named reach only each other, the rest only each other. */
    public void split(Collection<String> side) {
        throw new ConnectError(ConnectError.Kind.FAILURE, "not built yet: " + side);
    }

    /** Removes every partition rule from every lab namespace; safe to call twice. */
    public void heal() {
    }
}
