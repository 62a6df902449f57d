package io.connectha.cluster;

/** The secrets a cluster has, by their cluster-file names. */
public enum SecretName {
    superuser, replication, app, rest_api, pgbouncer_admin, haproxy_stats
}
