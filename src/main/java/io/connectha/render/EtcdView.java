package io.connectha.render;

import io.connectha.units.Printable;

import io.connectha.units.Units;

import io.connectha.etcd.EtcdEndpointStatus;
import io.connectha.etcd.EtcdEntry;
import io.connectha.etcd.EtcdKey;
import io.connectha.etcd.EtcdKeyListing;
import io.connectha.etcd.EtcdLease;
import io.connectha.etcd.EtcdMember;
import io.connectha.etcd.EtcdStatus;
import io.connectha.etcd.EtcdValue;
import io.connectha.etcd.PatroniLeaderKey;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/** Tables for {@code etcd status|members|get|keys}. */
public final class EtcdView {

    private EtcdView() {
    }

    public static void print(PrintWriter out, EtcdStatus status) {
        Table t = new Table("ENDPOINT", "MEMBER", "STATE", "VERSION", "DB SIZE", "LEADER", "RAFT TERM", "RAFT INDEX", "ERROR");
        for (EtcdEndpointStatus e : status.endpoints()) {
            if (e.reachable()) {
                t.row(e.endpoint(), e.member(), "up", e.version(), Units.humanBytes(e.dbSizeBytes()),
                        e.leader() == null ? "none" : e.leader(), e.raftTerm(), e.raftIndex(), "");
            } else {
                t.row(e.endpoint(), "", "down", "", "", "", "", "", e.error());
            }
        }
        t.print(out);
        out.println();
        out.println("Raft leader:    " + (status.hasRaftLeader() ? status.raftLeader() : "none"));
        out.println("Patroni leader: " + patroniLeader(status.patroniLeader()));
    }

    private static String patroniLeader(PatroniLeaderKey key) {
        if (key == null) {
            return "unknown (no etcd endpoint answered)";
        }
        if (!key.held()) {
            return "none: " + key.key() + " is not held";
        }
        return key.holder() + " (" + key.key() + (key.lease() == null ? ", no lease" : ", " + lease(key.lease())) + ")";
    }

    public static void print(PrintWriter out, List<EtcdMember> members) {
        Table t = new Table("ID", "NAME", "PEER URLS", "CLIENT URLS", "LEADER", "LEARNER");
        for (EtcdMember m : members) {
            t.row(m.id(), m.name().isEmpty() ? "(not started)" : m.name(), String.join(",", m.peerUrls()),
                    String.join(",", m.clientUrls()), m.isLeader() ? "yes" : "", m.isLearner() ? "yes" : "");
        }
        t.print(out);
    }

    public static void print(PrintWriter out, EtcdEntry entry) {
        field(out, "KEY", entry.key());
        field(out, "SIZE", Units.humanBytes(entry.valueSizeBytes()));
        field(out, "CREATE REVISION", entry.createRevision());
        field(out, "MOD REVISION", entry.modRevision());
        field(out, "VERSION", entry.version());
        field(out, "LEASE", entry.lease() == null ? "none" : lease(entry.lease()));
        field(out, "VALUE", switch (entry.valueFormat()) {
            case json -> "JSON";
            case text -> "text";
            case base64 -> "not UTF-8, shown as base64";
        });
        // Renderer's JSON is indented: Patroni's one-line documents become readable
        // a text value is shown line by line, each line with its control characters made visible: a value
        // holding an escape code must not take over the operator's terminal
        String value = entry.valueFormat() == EtcdValue.Format.json ? Renderer.json(entry.value()) : entry.value().asText();
        value.lines().map(Printable::visible).forEach(out::println);
    }

    private static void field(PrintWriter out, String name, Object value) {
        out.printf(Locale.ROOT, "%-16s %s%n", name, Printable.visible(String.valueOf(value)));
    }

    public static void print(PrintWriter out, EtcdKeyListing listing) {
        Table t = new Table("KEY", "SIZE", "MOD REVISION", "LEASE", "TTL LEFT");
        for (EtcdKey k : listing.keys()) {
            t.row(k.key(), Units.humanBytes(k.valueSizeBytes()), k.modRevision(), k.lease() == null ? "" : k.lease().id(),
                    k.lease() == null ? "" : ttlLeft(k.lease()));
        }
        t.print(out);
        out.println();
        out.println(listing.keys().size() + (listing.keys().size() == 1 ? " key" : " keys")
                + (listing.prefix() == null ? " in the whole keyspace" : " under " + listing.prefix()));
    }

    /** {@code 46dda206e8a9f00c: 8 s left of 10 s}. */
    static String lease(EtcdLease lease) {
        return lease.id() + ": " + ttlLeft(lease) + (lease.grantedTtl().isZero() ? "" : " of " + seconds(lease.grantedTtl()));
    }

    private static String ttlLeft(EtcdLease lease) {
        return lease.expired() ? "expired" : seconds(lease.ttlLeft()) + " left";
    }

    /** etcd counts lease TTLs in whole seconds; "9.0 s" would suggest a precision it does not have. */
    private static String seconds(Duration d) {
        return d.toSeconds() < 60 ? d.toSeconds() + " s" : Units.humanDuration(d);
    }
}
