package io.connectha.config;

/** What {@code config generate} can produce; each writes under a directory of its own name. */
public enum Component {
    postgresql, pgbouncer, haproxy, patroni, etcd, env
}
