package io.connectha.status;

import io.connectha.patroni.SwitchoverResult;

import java.time.Duration;
import java.util.List;

/**
 * What {@code switchover --pause-pooler} did: the switchover itself, and how long PgBouncer held the clients.
 *
 * @param pooler   PgBouncer's side
 * @param phases   in order, each with how long it took; empty in a dry run
 * @param steering what was sent to HAProxy with --steer-haproxy; null without it (or in a dry run)
 */
public record PooledSwitchoverResult(SwitchoverResult switchover, Pooler pooler, List<Phase> phases, Steering steering) {

    /**
     * @param address   PgBouncer's listener
     * @param databases the databases paused (or to be paused, in a dry run), by their pool names
     * @param paths     where each of them sends its server connections ({@code host:port}), as SHOW DATABASES said
     * @param viaHaproxy the paths are HAProxy's write port: its write backend was watched too
     * @param paused    from the first PAUSE sent to the RESUME's answer: how long clients were held; null in a dry run
     * @param resumed   PgBouncer answered RESUME for every database (false only in a dry run)
     */
    public record Pooler(String address, List<String> databases, List<String> paths, boolean viaHaproxy, Duration paused,
                         boolean resumed) {
    }

    /**
     * One step.
     *
     * @param name pause (PAUSE answered: running transactions done), switchover (the request to the new leader confirmed by
     *             Patroni and PostgreSQL), steer (HAProxy told), path (until PgBouncer's path reaches the new leader),
     *             resume (RESUME answered)
     */
    public record Phase(String name, Duration took) {
    }

    /** The servers of the write backend whose health was forced. */
    public record Steering(String backend, String down, String up, List<String> commands) {
    }
}
