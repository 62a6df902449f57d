package io.connectha.lab;

import io.connectha.process.Progress;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The whole stack on one machine: etcd, one Patroni per member managing PostgreSQL 15, HAProxy
 * and PgBouncer, all on loopback. {@link #up} returns only when the cluster is truly ready;
 * {@link #down} stops everything it started, by pid, and checks that no port stays bound.
 *
 * <p>What the commands, the drills and the tests call. The work is done by {@link LabBringUp},
 * {@link LabReadiness}, {@link LabProcesses}, {@link LabTeardown} and {@link LabStatusReader}.
 */
public final class Lab {

    private final LabLayout layout;
    private final LabProcesses processes;
    private final LabStatusReader status;
    private final LabTeardown teardown;
    private final LabBringUp bringUp;

    public Lab(Path dir, Progress progress) {
        this.layout = new LabLayout(dir.toAbsolutePath().normalize());
        this.processes = new LabProcesses(layout);
        this.status = new LabStatusReader(layout, processes);
        this.teardown = new LabTeardown(layout, progress, processes);
        this.bringUp = new LabBringUp(layout, progress, processes, status, teardown);
    }

    public LabLayout layout() {
        return layout;
    }

    /** The lab's network when its hosts are network namespaces ({@code lab up --network namespaces}); empty on loopback. */
    public Optional<LabNetwork> network() {
        return LabNetwork.of(layout);
    }

    /** The lab whose cluster file this is, if it is one that `lab up` wrote; faults act only on such a lab's processes. */
    public static Optional<Lab> of(Path clusterFile, Progress progress) {
        Path dir = clusterFile.toAbsolutePath().getParent();
        try {
            if (dir != null && Files.isRegularFile(clusterFile) && LabClusterFile.isWrittenByLab(Files.readString(clusterFile))) {
                return Optional.of(new Lab(dir, progress));
            }
        } catch (IOException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    /** Starts the lab, or finds it running, and returns when it is ready; on failure stops what it started. */
    public LabStatus up(LabOptions options) {
        return bringUp.up(options);
    }

    /** Each process of the lab, its pid and whether its address answers. */
    public LabStatus status() {
        return status.status();
    }

    /** Stops every process of the lab: terminate, then kill after a deadline; PostgreSQL too, since it outlives Patroni. */
    public LabDownReport down(boolean purge) {
        return teardown.down(purge);
    }

    /** Every process's log file, by process name. */
    public Map<String, Path> logs() {
        return status.logs();
    }

    /**
     * Starts one stopped process of a running lab again: etcdN, patroni-NAME, haproxy or pgbouncer.
     * PostgreSQL is Patroni's to start.
     */
    public long startProcess(String name) {
        return processes.startProcess(name);
    }

    /**
     * Stops one process: gracefully (SIGTERM, then SIGKILL after the grace) or, with {@code kill},
     * at once with SIGKILL. For postgres-NAME the postmaster is signalled; Patroni may restart it.
     * Returns the pid stopped, if it was running.
     */
    public Optional<Long> stopProcess(String name, boolean kill) {
        return processes.stopProcess(name, kill);
    }

    /**
     * Freezes one process of a running lab with SIGSTOP, without killing it: postgres-NAME (the postmaster and
     * every backend), patroni-NAME or etcdN. Returns the pids stopped. {@link #thaw} continues them; so does
     * {@link #down}.
     */
    public List<Long> freeze(String name) {
        return processes.freeze(name);
    }

    /** Continues what {@link #freeze} stopped; safe to call twice, or for a process that is not frozen. */
    public void thaw(String name) {
        processes.thaw(name);
    }

    /**
     * {@code pg_ctl stop -m fast} on one member's PostgreSQL, as an operator would: behind Patroni's back.
     * Returns whether pg_ctl reported success.
     */
    public boolean pgCtlStop(String member) {
        return processes.pgCtlStop(member);
    }
}
