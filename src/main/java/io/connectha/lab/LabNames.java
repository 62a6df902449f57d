package io.connectha.lab;

import io.connectha.cluster.ClusterSpec;
import io.connectha.cluster.MemberSpec;
import io.connectha.process.ProcessController;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The names the lab gives its processes, and the address each one listens on. */
final class LabNames {

    private LabNames() {
    }

    static String patroni(MemberSpec m) {
        return "patroni-" + m.name();
    }

    static String postgres(MemberSpec m) {
        return "postgres-" + m.name();
    }

    /** The processes the lab starts itself, in the order it starts them; Patroni starts PostgreSQL. */
    static List<String> started(ClusterSpec spec) {
        List<String> names = new ArrayList<>();
        spec.etcd().members().forEach(e -> names.add(e.name()));
        spec.members().forEach(m -> names.add(patroni(m)));
        names.add("haproxy");
        names.add("pgbouncer");
        return names;
    }

    /** Every address the lab listens on, by the name of what listens there. */
    static Map<String, String> listeners(ClusterSpec spec) {
        Map<String, String> l = new LinkedHashMap<>();
        spec.etcd().members().forEach(e -> {
            l.put(e.name(), e.host() + ":" + e.clientPort());
            l.put(e.name() + " (peer)", e.host() + ":" + e.peerPort());
        });
        spec.members().forEach(m -> {
            l.put(postgres(m), m.address());
            l.put(patroni(m), m.restAddress());
        });
        l.put("haproxy", spec.haproxy().writeAddress());
        l.put("haproxy (read)", spec.haproxy().readAddress());
        l.put("haproxy (stats)", spec.haproxy().statsHost() + ":" + spec.haproxy().statsPort());
        l.put("pgbouncer", spec.pgbouncer().address());
        return l;
    }

    /** Whether something accepts TCP connections at {@code host:port}. */
    static boolean isListening(String address, Duration timeout) {
        String[] hp = address.split(":");
        return ProcessController.isListening(hp[0], Integer.parseInt(hp[1]), timeout);
    }
}
