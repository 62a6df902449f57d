package io.connectha.drill;

import io.connectha.error.ConnectError;
import io.connectha.lab.Lab;
import io.connectha.process.Progress;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * One member's node in a lab, lost and brought back: kill -9 of Patroni and of its PostgreSQL
 * (which would otherwise outlive Patroni, writable, until the leader key expired), then Patroni
 * started again, which starts PostgreSQL as it sees fit.
 */
final class LabNode {

    private final Lab lab;
    private final String member;

    private LabNode(Lab lab, String member) {
        this.lab = lab;
        this.member = member;
    }

    /** The lab of this cluster file, or a refusal that says why the drill needs one. */
    static Lab requireLab(Path clusterFile, Progress progress, String drill) {
        Optional<Lab> lab = Lab.of(clusterFile, progress);
        if (lab.isEmpty()) {
            throw ConnectError.invalidInput("drill " + drill + " stops and starts the leader's Patroni and PostgreSQL, so it needs a lab's "
                    + "cluster file (connect ha lab up); " + clusterFile + " is not one. On other clusters, use drill switchover");
        }
        return lab.get();
    }

    static LabNode of(Lab lab, String member) {
        return new LabNode(lab, member);
    }

    void kill() {
        lab.stopProcess("patroni-" + member, true);
        lab.stopProcess("postgres-" + member, true);
    }

    void start() {
        lab.startProcess("patroni-" + member);
    }

    /** Patroni's log file (stdout and stderr of Patroni and of the PostgreSQL it starts), appended to on every start. */
    Path patroniLog() {
        return lab.layout().log("patroni-" + member);
    }

    long patroniLogSize() {
        try {
            return Files.isRegularFile(patroniLog()) ? Files.size(patroniLog()) : 0;
        } catch (IOException e) {
            return 0;
        }
    }
}
