package io.connectha.drill;

import io.connectha.error.ConnectError;

import java.util.Arrays;
import java.util.stream.Collectors;

/** What the drill does, and to what: the leader's processes, Patroni's API, or etcd's raft leader. */
public enum FaultKind {
    /** kill -9 of the postmaster: a crash; Patroni restarts it in place or fails over. */
    POSTMASTER_KILL("postmaster-kill"),
    /** kill -9 of Patroni and of its PostgreSQL, which would otherwise outlive it writable until the key expires: node loss. */
    PATRONI_KILL("patroni-kill"),
    /** A graceful stop of Patroni (SIGTERM): it stops PostgreSQL and gives up the leader key. */
    PATRONI_STOP("patroni-stop"),
    /** {@code pg_ctl stop -m fast} behind Patroni's back: Patroni starts it again, or fails over. */
    PG_STOP("pg-stop"),
    /** A planned switchover through Patroni's API. */
    SWITCHOVER("switchover"),
    /** kill -9 of etcd's raft leader (with 3 etcd members): the DCS loses its leader, the cluster should not. */
    ETCD_LEADER_KILL("etcd-leader-kill");

    private final String option;

    FaultKind(String option) {
        this.option = option;
    }

    public String option() {
        return option;
    }

    public static String options() {
        return Arrays.stream(values()).map(FaultKind::option).collect(Collectors.joining(", "));
    }

    public static FaultKind of(String option) {
        for (FaultKind k : values()) {
            if (k.option.equals(option)) {
                return k;
            }
        }
        throw ConnectError.invalidInput("--fault: '" + option + "' is not one of " + options());
    }

    /** Whether the fault acts on processes, so needs to know whose they are (a lab, or a fault command). */
    public boolean killsProcesses() {
        return this != SWITCHOVER;
    }

    /** Whether it hits etcd rather than the leader. */
    public boolean hitsEtcd() {
        return this == ETCD_LEADER_KILL;
    }

    /** Whether the leader may survive it (Patroni restarts PostgreSQL in place), rather than having to change. */
    public boolean leaderMayStay() {
        return this == POSTMASTER_KILL || this == PG_STOP || this == ETCD_LEADER_KILL;
    }
}
