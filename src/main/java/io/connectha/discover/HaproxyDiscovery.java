package io.connectha.discover;

import io.connectha.error.ConnectError;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * HAProxy's section of the discovered file: the backends from haproxy.cfg and, when HAProxy is asked
 * live (its socket, or its stats page), which servers are UP; {@link BackendChoice} decides which is
 * the write and which the read backend; their ports come from the config's binds.
 */
final class HaproxyDiscovery {

    private HaproxyDiscovery() {
    }

    /** HAProxy's section, and what validation needs to know of it. */
    record Facts(Map<String, Object> section, Set<String> liveBackends, String host, Integer writePort) {
    }

    static Facts discover(DiscoveryRequest r, HaproxyCfg cfg, LiveSources live, Set<String> memberAddresses,
                                 String leaderAddress, Set<String> replicaAddresses, String statsPassword, Findings d) {
        if (cfg == null && r.haproxySocket() == null && r.haproxyStatsUrl() == null) {
            return new Facts(null, null, null, null);
        }
        String cfgSource = cfg == null ? null : "haproxy.cfg " + r.haproxyConfig();
        Path socket = r.haproxySocket();
        boolean socketFromCfg = false;
        if (socket == null && cfg != null && cfg.statsSocket() != null && Files.isWritable(Path.of(cfg.statsSocket()))) {
            socket = Path.of(cfg.statsSocket());
            socketFromCfg = true;
        }
        List<LiveSources.ServerLine> lines = null;
        String liveSource = null;
        if (socket != null) {
            liveSource = "HAProxy socket " + socket + (socketFromCfg ? " (from haproxy.cfg)" : "");
            try {
                lines = live.haproxySocket(socket);
            } catch (ConnectError e) {
                d.noAnswer(liveSource, e);
            }
        }
        if (lines == null && r.haproxyStatsUrl() != null) {
            liveSource = "HAProxy stats " + r.haproxyStatsUrl();
            try {
                String user = cfg != null && cfg.statsUser() != null ? cfg.statsUser() : "stats";
                lines = live.haproxyStatsPage(r.haproxyStatsUrl(), user, statsPassword);
            } catch (ConnectError e) {
                d.noAnswer(liveSource, e);
            }
        }
        Map<String, BackendChoice.Backend> backends = new TreeMap<>();
        Map<String, HaproxyCfg.Proxy> cfgBackends = cfg == null ? Map.of() : cfg.backends();
        for (HaproxyCfg.Proxy p : cfgBackends.values()) {
            backends.put(p.name(), new BackendChoice.Backend(p.name(), p.servers().stream().map(HaproxyCfg.Server::address).toList(),
                    null, p.checkUri()));
        }
        Set<String> liveBackends = null;
        if (lines != null) {
            liveBackends = new java.util.TreeSet<>();
            Map<String, List<LiveSources.ServerLine>> byBackend = new TreeMap<>();
            for (LiveSources.ServerLine l : lines) {
                byBackend.computeIfAbsent(l.backend(), k -> new ArrayList<>()).add(l);
                liveBackends.add(l.backend());
            }
            for (var e : byBackend.entrySet()) {
                List<String> addresses = e.getValue().stream().map(LiveSources.ServerLine::address).toList();
                List<String> up = e.getValue().stream().filter(LiveSources.ServerLine::up).map(LiveSources.ServerLine::address).sorted().toList();
                HaproxyCfg.Proxy p = cfgBackends.get(e.getKey());
                backends.put(e.getKey(), new BackendChoice.Backend(e.getKey(), addresses, up, p == null ? null : p.checkUri()));
            }
        }
        BackendChoice.Choice choice = BackendChoice.decide(List.copyOf(backends.values()), memberAddresses, leaderAddress, replicaAddresses);
        d.warnings.addAll(choice.warnings());
        String decidedBy = lines != null ? liveSource : cfgSource;
        Map<String, Object> h = new LinkedHashMap<>();
        String host = null;
        Integer writePort = null;
        if (choice.write().backend() != null) {
            d.found("haproxy.write_backend", choice.write().backend(), decidedBy + ": " + choice.write().rule());
            HostPort bind = firstBind(cfgBackends.get(choice.write().backend()));
            if (bind != null) {
                host = bind.host();
                writePort = bind.port();
            }
        } else {
            d.missing("haproxy.write_backend", "no backend sends only to the leader, checks /primary or is named for writes; default write stands");
        }
        Integer readPort = null;
        if (choice.read().backend() != null) {
            d.found("haproxy.read_backend", choice.read().backend(), decidedBy + ": " + choice.read().rule());
            HostPort bind = firstBind(cfgBackends.get(choice.read().backend()));
            if (bind != null) {
                readPort = bind.port();
                if (host == null) {
                    host = bind.host();
                } else if (!host.equals(bind.host()) && !HostPort.isWildcard(bind.host())) {
                    d.warnings.add("HAProxy's read port binds " + bind.host() + ", its write port " + host
                            + "; the cluster file has one haproxy.host, " + host);
                }
            }
        } else {
            d.missing("haproxy.read_backend", "no backend balances over the replicas, checks /replica or is named for reads; default read stands");
        }
        if (host != null && HostPort.isWildcard(host)) {
            d.warnings.add("HAProxy binds every address (" + host + "); haproxy.host is 127.0.0.1: change it to the address clients use");
            host = "127.0.0.1";
        }
        if (host != null) {
            h.put("host", host);
            d.found("haproxy.host", host, cfgSource);
        }
        if (writePort != null) {
            h.put("write_port", writePort);
            d.found("haproxy.write_port", writePort, cfgSource);
        } else if (choice.write().backend() != null) {
            d.missing("haproxy.write_port", "HAProxy's live servers do not say its ports; give --haproxy-config");
        }
        if (readPort != null) {
            h.put("read_port", readPort);
            d.found("haproxy.read_port", readPort, cfgSource);
        }
        String statsBind = cfg == null ? null : cfg.statsBind();
        HostPort stats = HostPort.parse(statsBind);
        String statsSource = cfgSource;
        if (r.haproxyStatsUrl() != null) {
            URI u = Values.uri(r.haproxyStatsUrl());
            stats = u == null ? stats : new HostPort(u.getHost(), u.getPort() > 0 ? u.getPort() : 80);
            statsSource = "--haproxy-stats";
        }
        if (stats != null) {
            String statsHost = HostPort.isWildcard(stats.host()) ? "127.0.0.1" : stats.host();
            h.put("stats_host", statsHost);
            h.put("stats_port", stats.port());
            d.found("haproxy.stats", statsHost + ":" + stats.port(), statsSource);
        }
        Path statsSocket = r.haproxySocket() != null ? r.haproxySocket() : cfg != null && cfg.statsSocket() != null ? Path.of(cfg.statsSocket()) : null;
        if (statsSocket != null) {
            h.put("stats_socket", statsSocket.toAbsolutePath().normalize().toString());
            d.found("haproxy.stats_socket", statsSocket, r.haproxySocket() != null ? "--haproxy-socket" : cfgSource);
        }
        if (cfg != null && cfg.statsUser() != null) {
            h.put("stats_user", cfg.statsUser());
        }
        HaproxyCfg.Proxy w = choice.write().backend() == null ? null : cfgBackends.get(choice.write().backend());
        if (w != null) {
            if (w.inter() != null) {
                // HAProxy reads a bare number as milliseconds; the cluster file as seconds
                h.put("check_interval", w.inter().matches("\\d+") ? w.inter() + "ms" : w.inter());
            }
            Values.putIf(h, "fall", w.fall());
            Values.putIf(h, "rise", w.rise());
        }
        if (cfg != null && cfg.maxconn() != null) {
            h.put("maxconn", cfg.maxconn());
        }
        h.put("write_backend", choice.write().backend() != null ? choice.write().backend() : "write");
        h.put("read_backend", choice.read().backend() != null ? choice.read().backend() : "read");
        return new Facts(h, liveBackends == null ? Set.copyOf(cfgBackends.keySet()) : liveBackends, host, writePort);
    }

    private static HostPort firstBind(HaproxyCfg.Proxy p) {
        return p == null || p.binds().isEmpty() ? null : HostPort.parse(p.binds().get(0));
    }
}
