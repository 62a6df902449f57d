package io.connectha.lab;

import io.connectha.cluster.ClusterSpec;
import io.connectha.cluster.MemberSpec;
import io.connectha.error.ConnectError;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/** What {@code lab status} and {@code lab logs} show: each process, its pid and whether its address answers; each log file. */
final class LabStatusReader {

    /** How long an address may take to accept a connection before it counts as not answering. */
    static final Duration PROBE_TIMEOUT = Duration.ofMillis(300);

    private final LabLayout layout;
    private final LabProcesses processes;

    LabStatusReader(LabLayout layout, LabProcesses processes) {
        this.layout = layout;
        this.processes = processes;
    }

    /** See {@link Lab#status}. */
    LabStatus status() {
        if (!Files.isRegularFile(layout.clusterFile())) {
            throw ConnectError.invalidInput("no lab in " + layout.dir() + " (no cluster.yaml); start one with `connect ha lab up`");
        }
        ClusterSpec spec = processes.spec();
        // a plain lab starts only PostgreSQL and PgBouncer
        boolean plain = LabClusterFile.isPlain(LabClusterFile.read(layout));
        Map<String, String> listeners = LabNames.listeners(spec);
        // a namespace lab's addresses, without its bridge, would be sought through the real network: not probed then
        boolean reachable = LabNetwork.of(layout).map(LabNetwork::exists).orElse(true);
        List<LabProcess> list = new ArrayList<>();
        if (!plain) {
            spec.etcd().members().forEach(e -> list.add(process(e.name(), "etcd", listeners.get(e.name()), processes.pidOf(e.name()), reachable)));
        }
        for (MemberSpec m : spec.members()) {
            if (!plain) {
                String patroni = LabNames.patroni(m);
                list.add(process(patroni, "patroni", listeners.get(patroni), processes.pidOf(patroni), reachable));
            }
            list.add(process(LabNames.postgres(m), "postgres", m.address(), processes.postmasterPid(m), reachable));
        }
        if (!plain) {
            list.add(process("haproxy", "haproxy", listeners.get("haproxy"), processes.pidOf("haproxy"), reachable));
        }
        list.add(process("pgbouncer", "pgbouncer", listeners.get("pgbouncer"), processes.pidOf("pgbouncer"), reachable));
        return new LabStatus(layout.dir().toString(), layout.clusterFile().toString(), list, false,
                LabNetwork.of(layout).map(LabNetwork::status).orElse(null));
    }

    private static LabProcess process(String name, String program, String address, Optional<Long> pid, boolean reachable) {
        return new LabProcess(name, program, pid.orElse(null), pid.isPresent(), address, reachable && LabNames.isListening(address, PROBE_TIMEOUT));
    }

    /** See {@link Lab#logs}. */
    Map<String, Path> logs() {
        Map<String, Path> logs = new LinkedHashMap<>();
        if (!Files.isDirectory(layout.logs())) {
            return logs;
        }
        try (Stream<Path> files = Files.list(layout.logs())) {
            files.filter(p -> p.toString().endsWith(".log")).sorted()
                    .forEach(p -> logs.put(p.getFileName().toString().replaceFirst("\\.log$", ""), p));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return logs;
    }
}
