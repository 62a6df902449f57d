package io.connectha.replication;

import io.connectha.cluster.MemberSpec;
import io.connectha.error.ConnectError;
import io.connectha.pg.NodeState;
import io.connectha.pg.ReplicationConnection;
import io.connectha.pg.ReplicationQueries;
import io.connectha.pg.ReplicationSlot;
import io.connectha.pg.Sql;

import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;

/**
 * Plain streaming replication as the servers see it, read with the same queries as
 * {@code connect ha status}: each member's recovery state, and on a primary its walsenders and slots.
 */
public record ReplicationStatus(List<Member> members) {

    /** One member; {@code error} is set when it could not be read, and {@code errorKind} says why. */
    public record Member(String name, String address, String role, NodeState node, List<ReplicationConnection> senders,
                         List<ReplicationSlot> slots, String error, ConnectError.Kind errorKind) {
        public boolean reachable() {
            return error == null;
        }
    }

    public static ReplicationStatus read(ReplicationContext context) {
        List<Member> members = new ArrayList<>();
        for (MemberSpec m : context.spec().members()) {
            members.add(readMember(context, m));
        }
        return new ReplicationStatus(members);
    }

    static Member readMember(ReplicationContext context, MemberSpec m) {
        Connection c = null;
        try {
            c = context.superuser(m);
            NodeState node = ReplicationQueries.nodeState(c);
            boolean primary = !node.inRecovery();
            return new Member(m.name(), m.address(), primary ? "primary" : "standby", node,
                    primary ? ReplicationQueries.replication(c) : List.of(), primary ? ReplicationQueries.slots(c) : List.of(),
                    null, null);
        } catch (ConnectError e) {
            return new Member(m.name(), m.address(), "unknown", null, List.of(), List.of(), e.getMessage(), e.kind());
        } finally {
            if (c != null) {
                Sql.close(c);
            }
        }
    }

    public List<Member> primaries() {
        return members.stream().filter(m -> m.role().equals("primary")).toList();
    }

    /** Whether a standby streams: some primary's pg_stat_replication names it in state streaming. */
    public boolean streaming(String member) {
        return primaries().stream().flatMap(p -> p.senders().stream())
                .anyMatch(r -> r.applicationName().equals(member) && r.streaming());
    }

    /** Exactly one primary, every member answered, every standby streams. */
    public boolean healthy() {
        return primaries().size() == 1 && members.stream().allMatch(Member::reachable)
                && members.stream().filter(m -> m.role().equals("standby")).allMatch(m -> streaming(m.name()));
    }

    public boolean anyAuthenticationFailed() {
        return members.stream().anyMatch(m -> m.errorKind() == ConnectError.Kind.AUTHENTICATION_FAILED);
    }

    public boolean anyUnreachable() {
        return members.stream().anyMatch(m -> !m.reachable());
    }
}
