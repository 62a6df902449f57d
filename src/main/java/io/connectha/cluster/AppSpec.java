package io.connectha.cluster;

/**
 * How the application connects.
 *
 * @param via the write path in DATABASE_URL: {@code pgbouncer} or {@code haproxy}. Reads always use HAProxy's read port.
 */
public record AppSpec(Via via) {

    public enum Via { pgbouncer, haproxy }

    static final AppSpec EMPTY = new AppSpec(null);

    AppSpec withDefaults() {
        return new AppSpec(via == null ? Via.pgbouncer : via);
    }
}
