package io.connectha.discover;

import io.connectha.cluster.ClusterFileLoader;
import io.connectha.cluster.ClusterFileProblem;
import io.connectha.cluster.LoadedCluster;
import io.connectha.error.ConnectError;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The discovered file checked before it is written: it loads as every command loads it, and the live
 * cluster agrees (each member answers on its PostgreSQL and REST addresses, a leader was found, the
 * named HAProxy backends exist, PgBouncer answers). A file that does not load, or a cluster of which
 * no member answers, is refused.
 */
final class LiveValidation {

    private LiveValidation() {
    }

    static List<DiscoveryReport.Check> validate(Map<String, String> environment, String content, Map<String, DiscoveredMember> members, String leaderName, HaproxyDiscovery.Facts haproxy,
                                                 Map<String, Object> pgbouncer, LiveSources live, Findings d) {
        List<DiscoveryReport.Check> checks = new ArrayList<>();
        LoadedCluster loaded;
        Path tmp = null;
        try {
            tmp = Files.createTempFile("connect-discover-", ".yaml");
            Files.writeString(tmp, content);
            loaded = new ClusterFileLoader(environment).load(tmp);
        } catch (io.connectha.cluster.ClusterFileException e) {
            String problem = e.problems().get(0).path() + ": " + e.problems().get(0).message();
            throw new ConnectError(ConnectError.Kind.FAILURE, "the discovered cluster file does not load (" + problem + "); nothing written");
        } catch (IOException e) {
            throw ConnectError.io("write a temporary file for", Path.of(System.getProperty("java.io.tmpdir")), e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // a temporary file left behind harms nothing
                }
            }
        }
        checks.add(new DiscoveryReport.Check("the file loads", true, loaded.spec().members().size() + " members"));
        for (ClusterFileProblem w : loaded.warnings()) {
            d.warnings.add(w.path() + ": " + w.message());
        }
        int answering = 0;
        for (DiscoveredMember m : members.values()) {
            if (m.host == null) {
                continue;
            }
            boolean pg = live.answers(m.host, m.port);
            checks.add(new DiscoveryReport.Check("member " + m.name + " PostgreSQL at " + m.address(), pg, pg ? "answers" : "no answer"));
            if (m.restPort != null) {
                boolean rest = live.answers(m.host, m.restPort);
                checks.add(new DiscoveryReport.Check("member " + m.name + " REST API at " + m.host + ":" + m.restPort, rest,
                        rest ? "answers" : "no answer"));
            }
            answering += pg ? 1 : 0;
        }
        checks.add(new DiscoveryReport.Check("the leader", leaderName != null, leaderName != null ? leaderName : "no source names a leader"));
        if (haproxy.section() != null && haproxy.liveBackends() != null) {
            for (String key : List.of("write_backend", "read_backend")) {
                String name = (String) haproxy.section().get(key);
                boolean ok = haproxy.liveBackends().contains(name);
                checks.add(new DiscoveryReport.Check("HAProxy backend " + name + " (" + key + ")", ok, ok ? "exists" : "HAProxy has no such backend"));
            }
        }
        if (pgbouncer != null && pgbouncer.get("host") != null) {
            boolean ok = live.answers((String) pgbouncer.get("host"), (Integer) pgbouncer.get("port"));
            checks.add(new DiscoveryReport.Check("PgBouncer at " + pgbouncer.get("host") + ":" + pgbouncer.get("port"), ok, ok ? "answers" : "no answer"));
        }
        if (answering == 0) {
            throw new ConnectError(ConnectError.Kind.UNREACHABLE, "no member answers on its PostgreSQL address ("
                    + String.join(", ", members.values().stream().map(DiscoveredMember::address).filter(java.util.Objects::nonNull).toList())
                    + "); the discovered file was not written");
        }
        return checks;
    }
}
