package io.connectha.lab;

import io.connectha.cluster.ClusterSpec;
import io.connectha.cluster.EtcdSpec;
import io.connectha.cluster.MemberSpec;
import io.connectha.error.ConnectError;
import io.connectha.process.ProcessController;
import io.connectha.process.Progress;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Tear-down: stops every process of the lab by pid (terminate, then kill after a grace), then
 * whatever a lost pid file would have left, checks that no lab port stays bound, and on request
 * removes the directory.
 */
final class LabTeardown {

    private final LabLayout layout;
    private final Progress progress;
    private final LabProcesses processes;

    LabTeardown(LabLayout layout, Progress progress, LabProcesses processes) {
        this.layout = layout;
        this.progress = progress;
        this.processes = processes;
    }

    /** See {@link Lab#down}. */
    LabDownReport down(boolean purge) {
        Instant t = Instant.now();
        List<String> stopped = new ArrayList<>();
        ClusterSpec spec = Files.isRegularFile(layout.clusterFile()) ? processes.spec() : null;
        // a drill stopped half-way may have left a partition or a frozen process: each would hold up a clean stop
        LabNetwork.of(layout).ifPresent(LabNetwork::heal);
        if (spec != null) {
            processes.thawAll();
            stopByPidFile("pgbouncer", Duration.ofSeconds(10), stopped);
            stopByPidFile("haproxy", Duration.ofSeconds(10), stopped);
            // Patronis together: each stops its PostgreSQL, and those shutdowns may overlap
            List<Long> patronis = new ArrayList<>();
            for (MemberSpec m : spec.members()) {
                processes.takePidFile(LabNames.patroni(m)).ifPresent(pid -> {
                    patronis.add(pid);
                    stopped.add(LabNames.patroni(m));
                });
            }
            ProcessController.stopAll(patronis, Duration.ofSeconds(30));
            // PostgreSQL outlives a Patroni that was killed
            for (MemberSpec m : spec.members()) {
                processes.postmasterPid(m).ifPresent(pid -> {
                    stopPostgres(spec.postgresql().binDir(), m, pid);
                    stopped.add(LabNames.postgres(m));
                });
            }
            for (EtcdSpec.EtcdMemberSpec e : spec.etcd().members()) {
                stopByPidFile(e.name(), Duration.ofSeconds(10), stopped);
            }
        }
        // whatever a lost pid file would have left: the stack's programs that name this directory
        for (long pid : PidFile.orphansOf(layout.dir())) {
            ProcessController.stop(pid, Duration.ofSeconds(10));
            stopped.add("pid " + pid);
        }
        List<Long> survivors = PidFile.orphansOf(layout.dir());
        // a namespace lab's addresses, without its bridge, would be sought through the real network
        boolean reachable = LabNetwork.of(layout).map(LabNetwork::exists).orElse(true);
        List<String> bound = spec == null || !reachable ? List.of() : boundPorts(spec);
        // the namespaces go last, with whatever still runs in them; their names come from the directory alone
        stopped.addAll(new LabNetwork(layout, LabClusterFile.namespaces(spec == null ? "" : LabClusterFile.read(layout))
                .orElse(LabSubnet.DEFAULT)).remove());
        processes.clearStalePidFiles();
        boolean purged = false;
        if (purge && survivors.isEmpty() && bound.isEmpty()) {
            purged = purge();
        } else if (purge) {
            progress.warn("not removing " + layout.dir() + ": something of the lab is still running");
        }
        progress.step("Lab down: stopped " + (stopped.isEmpty() ? "nothing (nothing was running)" : String.join(", ", stopped))
                + (purged ? "; removed " + layout.dir() : ""), Duration.between(t, Instant.now()));
        return new LabDownReport(layout.dir().toString(), stopped, bound, survivors, purged);
    }

    private void stopByPidFile(String name, Duration grace, List<String> stopped) {
        processes.takePidFile(name).ifPresent(pid -> {
            ProcessController.stop(pid, grace);
            stopped.add(name);
        });
    }

    private void stopPostgres(String binDir, MemberSpec m, long pid) {
        if (!processes.pgCtlStop(binDir, m, Duration.ofSeconds(20)) || PidFile.belongsTo(pid, layout.dir())) {
            ProcessController.stop(pid, Duration.ofSeconds(5));
        }
    }

    /** Ports still bound after stopping: waits a little, since a closing listener can linger briefly. */
    private static List<String> boundPorts(ClusterSpec spec) {
        List<String> bound = new ArrayList<>();
        Instant until = Instant.now().plusSeconds(10);
        do {
            bound.clear();
            for (String address : LabNames.listeners(spec).values()) {
                if (LabNames.isListening(address, Duration.ofMillis(100))) {
                    bound.add(address);
                }
            }
            if (bound.isEmpty()) {
                break;
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        } while (Instant.now().isBefore(until));
        return bound;
    }

    /** Removes the lab directory, but only one whose cluster file {@code lab up} wrote. */
    private boolean purge() {
        if (!Files.exists(layout.dir())) {
            return false;
        }
        try {
            if (!Files.isRegularFile(layout.clusterFile()) || !LabClusterFile.isWrittenByLab(Files.readString(layout.clusterFile()))) {
                throw ConnectError.invalidInput(layout.dir() + " does not look like a lab directory (no cluster.yaml written by lab up); not removing it");
            }
            try (Stream<Path> walk = Files.walk(layout.dir())) {
                for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
            return true;
        } catch (IOException e) {
            throw io.connectha.error.ConnectError.io("remove", layout.dir(), e);
        }
    }
}
