package io.connectha.pg;

import io.connectha.cluster.ClusterSpec;
import io.connectha.cluster.MemberSpec;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * pg_hba rules for a cluster: replication and superuser only from the members, the application
 * user only from HAProxy, PgBouncer and the configured networks, all with scram-sha-256.
 */
public final class HbaRules {

    public record Rule(String type, String database, String user, String address, String method, String comment) {
        /** The form Patroni's pg_hba list takes: one line without comment. */
        public String line() {
            return String.join(" ", nonEmpty(type, database, user, address, method));
        }

        private static List<String> nonEmpty(String... parts) {
            return java.util.Arrays.stream(parts).filter(p -> p != null && !p.isEmpty()).toList();
        }
    }

    private HbaRules() {
    }

    public static List<Rule> forCluster(ClusterSpec spec) {
        String superuser = spec.postgresql().superuser();
        String replication = spec.postgresql().replicationUser();
        String app = spec.postgresql().appUser();
        Set<String> databases = new LinkedHashSet<>();
        databases.add(spec.postgresql().database());
        spec.pgbouncer().databases().forEach(db -> databases.add(db.dbname()));
        String appDatabases = String.join(",", databases);
        List<Rule> rules = new ArrayList<>();
        if (superuser.equals("postgres")) {
            rules.add(new Rule("local", "all", superuser, "", "peer", "maintenance as the postgres OS user"));
        }
        rules.add(new Rule("local", "all", "all", "", "scram-sha-256", "local connections need a password"));
        Set<String> seen = new LinkedHashSet<>();
        for (MemberSpec m : spec.members()) {
            for (String addr : sources(m.host())) {
                if (seen.add(addr)) {
                    rules.add(new Rule("host", "replication", replication, addr, "scram-sha-256", "streaming from " + m.name()));
                    rules.add(new Rule("host", "all", superuser, addr, "scram-sha-256", "Patroni and pg_rewind on " + m.name()));
                }
            }
        }
        for (String cidr : spec.postgresql().adminNetworks()) {
            rules.add(new Rule("host", "all", superuser, cidr, "scram-sha-256", "operators and monitoring"));
        }
        Set<String> appSources = new LinkedHashSet<>();
        appSources.addAll(sources(spec.haproxy().host()));
        appSources.addAll(sources(spec.pgbouncer().host()));
        for (String source : appSources) {
            rules.add(new Rule("host", appDatabases, app, source, "scram-sha-256", "application through HAProxy and PgBouncer"));
        }
        for (String cidr : spec.postgresql().networks()) {
            rules.add(new Rule("host", appDatabases, app, cidr, "scram-sha-256", "application network"));
        }
        rules.add(new Rule("host", "all", "all", "0.0.0.0/0", "reject", "nothing else"));
        rules.add(new Rule("host", "all", "all", "::/0", "reject", "nothing else"));
        return rules;
    }

    /**
     * The addresses connections from a host arrive from. Linux gives a connection to a loopback
     * address the source 127.0.0.1, whatever 127.x address the sender listens on, so members on
     * their own loopback addresses (the lab) also need a rule for 127.0.0.1.
     */
    static List<String> sources(String host) {
        if (host.startsWith("127.") && !host.equals("127.0.0.1")) {
            return List.of(address(host), "127.0.0.1/32");
        }
        return List.of(address(host));
    }

    /** An address as pg_hba wants it: a single host as /32 or /128; names are kept as names. */
    static String address(String host) {
        if (host.matches("\\d+\\.\\d+\\.\\d+\\.\\d+")) {
            return host + "/32";
        }
        if (host.contains(":")) {
            return host + "/128";
        }
        return host;
    }

    public static String render(List<String> header, List<Rule> rules) {
        StringBuilder sb = new StringBuilder();
        header.forEach(h -> sb.append("# ").append(h).append('\n'));
        sb.append(String.format("%n%-7s %-15s %-15s %-23s %s%n", "# TYPE", "DATABASE", "USER", "ADDRESS", "METHOD"));
        for (Rule r : rules) {
            sb.append(String.format("%-7s %-15s %-15s %-23s %-14s # %s%n", r.type(), r.database(), r.user(),
                    r.address(), r.method(), r.comment()));
        }
        return sb.toString();
    }
}
