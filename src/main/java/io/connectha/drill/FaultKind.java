package io.connectha.drill;

import io.connectha.error.ConnectError;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * What the drill does, and to what: the leader's processes, Patroni's API, etcd, or the network between
 * hosts. Process faults are done once applied; held faults (a partition, a freeze, an etcd outage) last
 * until they are restored.
 */
public enum FaultKind {
    /** kill -9 of the postmaster: a crash; Patroni restarts it in place or fails over. */
    POSTMASTER_KILL("postmaster-kill", Target.LEADER),
    /** kill -9 of Patroni and of its PostgreSQL, which would otherwise outlive it writable until the key expires: node loss. */
    PATRONI_KILL("patroni-kill", Target.LEADER),
    /** A graceful stop of Patroni (SIGTERM): it stops PostgreSQL and gives up the leader key. */
    PATRONI_STOP("patroni-stop", Target.LEADER),
    /** {@code pg_ctl stop -m fast} behind Patroni's back: Patroni starts it again, or fails over. */
    PG_STOP("pg-stop", Target.LEADER),
    /** A planned switchover through Patroni's API. */
    SWITCHOVER("switchover", Target.LEADER),
    /** kill -9 of etcd's raft leader (with 3 etcd members): the DCS loses its leader, the cluster should not. */
    ETCD_LEADER_KILL("etcd-leader-kill", Target.ETCD_LEADER),
    /** The leader's host drops all traffic to and from every other host. */
    PARTITION_LEADER("partition-leader", Target.LEADER),
    /** The leader's host loses etcd only (client and peer ports); PostgreSQL and the REST API stay reachable. */
    PARTITION_LEADER_DCS("partition-leader-dcs", Target.LEADER),
    /** One replica's host is cut off from every other host. */
    PARTITION_REPLICA("partition-replica", Target.REPLICA),
    /** The member hosts split in two random halves (by the drill's seed); each side reaches only its own. */
    PARTITION_HALVES("partition-halves", Target.HALF),
    /** The leader's host can send but not receive. */
    PARTITION_ONE_WAY("partition-one-way", Target.LEADER),
    /** The leader's PostgreSQL stops answering without dying: the postmaster and every backend stopped (SIGSTOP). */
    FREEZE_POSTGRES("freeze-postgres", Target.LEADER),
    /** SIGSTOP of the leader's Patroni: its PostgreSQL keeps running. */
    FREEZE_PATRONI("freeze-patroni", Target.LEADER),
    /** SIGSTOP of a majority of etcd members: the DCS is gone. */
    DCS_OUTAGE("dcs-outage", Target.ETCD_MAJORITY),
    /** Every packet to and from the leader's host delayed by 200 ms (tc netem): only where the kernel has netem. */
    LATENCY_LEADER("latency-leader", Target.LEADER);

    /**
     * What a fault hits. The fault command gets its TARGET as one name or, for several, names joined by commas:
     * {@code HALF} names the member hosts on the smaller side, {@code ETCD_MAJORITY} the etcd members stopped.
     */
    public enum Target { LEADER, REPLICA, HALF, ETCD_LEADER, ETCD_MAJORITY }

    private final String option;
    private final Target target;

    FaultKind(String option, Target target) {
        this.option = option;
        this.target = target;
    }

    public String option() {
        return option;
    }

    public Target target() {
        return target;
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

    /** Whether the fault acts on processes or the network, so needs to know whose they are (a lab, or a fault command). */
    public boolean killsProcesses() {
        return this != SWITCHOVER;
    }

    /** Whether it lasts until restored (a partition, a freeze, an etcd outage) rather than being done once applied. */
    public boolean held() {
        return partitions() || this == FREEZE_POSTGRES || this == FREEZE_PATRONI || this == DCS_OUTAGE || this == LATENCY_LEADER;
    }

    /** Whether it acts on the network between hosts: it needs hosts of their own (a namespace lab, or a fault command). */
    public boolean partitions() {
        return this == LATENCY_LEADER || this == PARTITION_LEADER || this == PARTITION_LEADER_DCS || this == PARTITION_REPLICA || this == PARTITION_HALVES
                || this == PARTITION_ONE_WAY;
    }

    /** Whether it hits etcd rather than the leader. */
    public boolean hitsEtcd() {
        return target == Target.ETCD_LEADER || target == Target.ETCD_MAJORITY;
    }

    /**
     * Whether the leader may survive it rather than having to change: Patroni restarts PostgreSQL in place, the
     * fault misses the leader, or (etcd gone) no other member can take the key either.
     */
    public boolean leaderMayStay() {
        return this == POSTMASTER_KILL || this == PG_STOP || this == ETCD_LEADER_KILL || this == PARTITION_REPLICA
                || this == PARTITION_HALVES || this == FREEZE_POSTGRES || this == DCS_OUTAGE || this == LATENCY_LEADER;
    }
}
