package io.connectha.drill;

import io.connectha.error.ConnectError;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Who a fault hits, by its {@link FaultKind.Target}, from the names the drill found before the fault. Pure: the same
 * names and seed give the same target, so a run of partition-halves can be repeated. A fault on several names gets them
 * joined by commas (the fault command's TARGET).
 */
final class FaultTargets {

    private FaultTargets() {
    }

    /**
     * A random split of the member hosts by {@code seed}: the names on the smaller side (half, rounded down), in name order.
     * The split does not depend on the order the names come in.
     */
    static String halves(List<String> members, long seed) {
        if (members.size() < 2) {
            throw ConnectError.invalidInput("--fault partition-halves splits the member hosts in two, so it needs at least 2 members (this "
                    + "cluster has " + members.size() + ")");
        }
        List<String> shuffled = new ArrayList<>(members.stream().sorted().toList());
        Collections.shuffle(shuffled, new Random(seed));
        return String.join(",", shuffled.subList(0, members.size() / 2).stream().sorted().toList());
    }

    /** A majority of the etcd members, first by name: 2 of 3, 3 of 5, the only one of 1. */
    static String etcdMajority(List<String> etcd) {
        if (etcd.isEmpty()) {
            throw ConnectError.invalidInput("--fault dcs-outage stops a majority of etcd members, and the cluster file names none");
        }
        return String.join(",", etcd.stream().sorted().toList().subList(0, etcd.size() / 2 + 1));
    }

    /** The first streaming replica by name; refused, before anything happens, when there is none. */
    static String replica(List<String> streamingReplicas, String kind) {
        return streamingReplicas.stream().sorted().findFirst().orElseThrow(() -> ConnectError.invalidInput("--fault " + kind
                + " cuts off a replica, and no replica is streaming"));
    }
}
