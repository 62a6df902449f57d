package io.connectha.etcd;

import java.util.List;

/**
 * A member of the etcd cluster, as its member list says.
 *
 * @param id   in hex, as {@code etcdctl member list} shows it (ids are unsigned 64-bit)
 * @param name empty for a member that was added but has not started yet
 */
public record EtcdMember(String id, String name, List<String> peerUrls, List<String> clientUrls,
                         boolean isLeader, boolean isLearner) {
}
