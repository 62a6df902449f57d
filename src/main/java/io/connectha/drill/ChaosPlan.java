package io.connectha.drill;

import io.connectha.error.ConnectError;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Which fault each cycle of a chaos campaign applies, and to what: the same seed gives the same faults in the same
 * order. Faults come in rounds: each round is the whole list shuffled, so that a campaign of N cycles over N faults
 * applies every one of them, and a longer one every one as often, give or take one. Faults and targets are drawn from
 * two generators, so that the order of faults depends on the seed and the list alone, never on how many replicas
 * happened to stream when a target was picked.
 */
final class ChaosPlan {

    private final Random faults;
    private final Random targets;
    private final List<FaultKind> round = new ArrayList<>();

    ChaosPlan(long seed) {
        this.faults = new Random(seed);
        this.targets = new Random(~seed);
    }

    FaultKind next(List<FaultKind> list) {
        if (round.isEmpty()) {
            round.addAll(list);
            Collections.shuffle(round, faults);
        }
        return round.remove(0);
    }

    /**
     * What the cluster looks like when a target is picked.
     *
     * @param members        every member host, in the cluster file's order
     * @param streaming      the replicas streaming from the leader
     * @param etcdMembers    every etcd member, in the cluster file's order
     * @param etcdRaftLeader etcd's raft leader; null when etcd names none
     */
    record Cluster(String leader, List<String> members, List<String> streaming, List<String> etcdMembers, String etcdRaftLeader) {
    }

    /** The fault's TARGET: one name, or several joined by commas (in the cluster file's order). */
    String target(FaultKind kind, Cluster c) {
        return switch (kind.target()) {
            case LEADER -> require(c.leader(), "no leader");
            case REPLICA -> {
                if (c.streaming().isEmpty()) {
                    throw new ConnectError(ConnectError.Kind.FAILURE, kind.option() + ": no replica streams from the leader");
                }
                yield c.streaming().get(targets.nextInt(c.streaming().size()));
            }
            case HALF -> String.join(",", pick(c.members(), c.members().size() / 2));
            case ETCD_LEADER -> require(c.etcdRaftLeader(), "etcd names no raft leader");
            case ETCD_MAJORITY -> String.join(",", pick(c.etcdMembers(), c.etcdMembers().size() / 2 + 1));
        };
    }

    /** {@code n} of {@code names} drawn at random, listed in their original order. */
    private List<String> pick(List<String> names, int n) {
        List<String> shuffled = new ArrayList<>(names);
        Collections.shuffle(shuffled, targets);
        List<String> chosen = shuffled.subList(0, Math.max(1, Math.min(n, names.size())));
        return names.stream().filter(chosen::contains).toList();
    }

    private static String require(String name, String why) {
        if (name == null) {
            throw new ConnectError(ConnectError.Kind.FAILURE, "no target: " + why);
        }
        return name;
    }
}
