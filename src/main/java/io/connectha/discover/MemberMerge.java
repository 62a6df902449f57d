package io.connectha.discover;

import com.fasterxml.jackson.databind.JsonNode;
import io.connectha.etcd.EtcdGateway;
import io.connectha.patroni.PatroniMember;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The members of the cluster and of etcd, merged by name from every source that lists them: Patroni's
 * {@code /cluster} first, then etcd's member keys ({@code conn_url}, {@code api_url}), then patroni.yml
 * for its own member (and its data directory, which only it gives). Each member keeps the sources it
 * came from. Sorted by name, so that the file is the same on every run.
 */
final class MemberMerge {

    private MemberMerge() {
    }

    /** The members by name, and the leader's name (etcd's leader key, else the role a source gave). */
    record Merged(Map<String, DiscoveredMember> members, String leader) {
    }

    static Merged members(LiveSources.PatroniAnswer rest, String restSource, LiveSources.EtcdAnswer etcd, String etcdSource,
                          String namespace, String scope, PatroniYml yml, String ymlSource, Findings d) {
        Map<String, DiscoveredMember> members = new TreeMap<>();
        if (rest != null) {
            for (PatroniMember m : rest.cluster().members()) {
                DiscoveredMember mm = members.computeIfAbsent(m.name(), DiscoveredMember::new);
                mm.host = m.host();
                mm.port = m.port();
                mm.role = m.role() == null ? null : m.role().name();
                apiUrl(mm, m.apiUrl());
                mm.sources.add(restSource);
            }
        }
        String leaderName = null;
        if (etcd != null && scope != null) {
            String prefix = namespace + "/" + scope + "/";
            for (EtcdGateway.KeyValue kv : etcd.keys()) {
                if (kv.key().startsWith(prefix + "members/")) {
                    String name = kv.key().substring((prefix + "members/").length());
                    DiscoveredMember mm = members.computeIfAbsent(name, DiscoveredMember::new);
                    JsonNode v = Values.json(kv.value());
                    if (v != null) {
                        URI conn = Values.uri(v.path("conn_url").asText(null));
                        if (conn != null && mm.host == null) {
                            mm.host = conn.getHost();
                            mm.port = conn.getPort() > 0 ? conn.getPort() : 5432;
                        }
                        if (mm.restHost == null) {
                            apiUrl(mm, v.path("api_url").asText(null));
                        }
                        if (mm.role == null && v.hasNonNull("role")) {
                            mm.role = v.path("role").asText();
                        }
                    }
                    mm.sources.add(etcdSource);
                } else if (kv.key().equals(prefix + "leader")) {
                    leaderName = kv.value().strip();
                }
            }
        }
        if (yml != null && yml.name() != null) {
            DiscoveredMember mm = members.computeIfAbsent(yml.name(), DiscoveredMember::new);
            HostPort pg = HostPort.parse(yml.pgAddress());
            if (mm.host == null && pg != null) {
                mm.host = pg.host();
                mm.port = pg.port();
            }
            HostPort restHp = HostPort.parse(yml.restAddress());
            if (mm.restHost == null && restHp != null) {
                mm.restHost = restHp.host();
                mm.restPort = restHp.port();
                mm.restScheme = yml.restTls() ? "https" : "http";
            }
            mm.dataDir = yml.dataDir();
            mm.sources.add(ymlSource);
        }
        if (leaderName == null) {
            leaderName = members.values().stream().filter(DiscoveredMember::isLeader).map(m -> m.name).findFirst().orElse(null);
        }
        for (DiscoveredMember m : members.values()) {
            if (leaderName != null) {
                m.role = m.name.equals(leaderName) ? "leader" : m.role == null || m.isLeader() ? "replica" : m.role;
            }
            String restText = m.restHost == null ? "" : " REST " + (m.restScheme == null ? "http" : m.restScheme) + "://" + m.restHost + ":" + m.restPort;
            d.found("members." + m.name, (m.address() == null ? "?" : m.address()) + restText + (m.role == null ? "" : " (" + m.role + ")"),
                    String.join(", ", m.sources));
            if (m.host == null || m.restHost == null) {
                d.missing("members." + m.name, "its " + (m.host == null ? "PostgreSQL" : "REST API") + " address: no source gave it");
            }
        }
        return new Merged(members, leaderName);
    }

    /** etcd's members as {name, host:port}: the hosts Patroni uses, named as etcd names them (else etcd1, etcd2...). */
    static List<String[]> etcdMembers(PatroniYml yml, String ymlSource, LiveSources.EtcdAnswer etcd, String etcdSource, Findings d) {
        List<String[]> etcdMembers = new ArrayList<>();
        String etcdMembersSource;
        if (yml != null && !yml.etcdHosts().isEmpty()) {
            etcdMembersSource = ymlSource;
            int i = 1;
            for (String h : yml.etcdHosts()) {
                String name = etcdName(etcd, h);
                etcdMembers.add(new String[]{name != null ? name : "etcd" + i, h, peerPort(etcd, name)});
                i++;
            }
        } else if (etcd != null) {
            etcdMembersSource = etcdSource;
            for (EtcdGateway.Member m : etcd.members()) {
                URI u = m.clientUrls().isEmpty() ? null : Values.uri(m.clientUrls().get(0));
                if (u != null) {
                    etcdMembers.add(new String[]{m.name(), u.getHost() + ":" + (u.getPort() > 0 ? u.getPort() : 2379), peerPort(etcd, m.name())});
                }
            }
        } else {
            etcdMembersSource = null;
        }
        etcdMembers.sort(java.util.Comparator.comparing(a -> a[0]));
        for (String[] e : etcdMembers) {
            d.found("etcd.members." + e[0], e[1], etcdMembersSource);
        }
        return etcdMembers;
    }

    private static void apiUrl(DiscoveredMember m, String apiUrl) {
        URI u = Values.uri(apiUrl);
        if (u != null && u.getHost() != null) {
            m.restHost = u.getHost();
            m.restPort = u.getPort() > 0 ? u.getPort() : 8008;
            m.restScheme = u.getScheme();
        }
    }

    /** The member's peer port as etcd's member list gives it, or null (the default 2380 then stands). */
    private static String peerPort(LiveSources.EtcdAnswer etcd, String name) {
        if (etcd == null || name == null) {
            return null;
        }
        for (EtcdGateway.Member m : etcd.members()) {
            if (m.name().equals(name) && !m.peerUrls().isEmpty()) {
                URI u = Values.uri(m.peerUrls().get(0));
                return u == null || u.getPort() <= 0 ? null : Integer.toString(u.getPort());
            }
        }
        return null;
    }

    private static String etcdName(LiveSources.EtcdAnswer etcd, String hostPort) {
        if (etcd == null) {
            return null;
        }
        for (EtcdGateway.Member m : etcd.members()) {
            for (String url : m.clientUrls()) {
                if (url.replaceFirst("^https?://", "").replaceFirst("/$", "").equals(hostPort)) {
                    return m.name();
                }
            }
        }
        return null;
    }
}
