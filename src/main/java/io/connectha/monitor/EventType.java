package io.connectha.monitor;

/** What the monitor tells when something changes; the names are the {@code type} field of each event line. */
public enum EventType {
    monitor_started,
    monitor_stopping,
    leader_changed,
    leader_lost,
    timeline_changed,
    member_down,
    member_up,
    replica_not_streaming,
    replica_streaming,
    lag_over,
    lag_under,
    etcd_quorum_lost,
    etcd_quorum_back,
    haproxy_write_not_leader,
    haproxy_write_leader,
    config_changed,
    probe_failing,
    probe_recovered
}
