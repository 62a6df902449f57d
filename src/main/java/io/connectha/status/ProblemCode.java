package io.connectha.status;

import io.connectha.cluster.Problem;
import io.connectha.cluster.Problem.Severity;

/**
 * The problem codes of {@code connect ha status}, in the order status lists them: causes before the
 * symptoms they explain. etcd first (without it Patroni can neither hold nor see a leader key), then
 * Patroni's live timings when they break its own rule (a leader can then lose its key while retrying),
 * each member's Patroni and PostgreSQL, the leadership that follows from them, replication, the
 * proxies, whose routing follows Patroni's and PostgreSQL's state, and last where the cluster file
 * disagrees with the live configuration, which explains nothing the cluster does. The constant's name is the
 * code scripts match on; docs/status.md lists the same codes in the same order (a unit test keeps
 * the two equal).
 */
enum ProblemCode {
    etcd_unreachable(Severity.critical),
    etcd_no_quorum(Severity.critical),
    timing_rule(Severity.warning),
    patroni_unreachable(Severity.critical),
    patroni_auth_failed(Severity.critical),
    postgres_unreachable(Severity.critical),
    postgres_auth_failed(Severity.critical),
    no_leader(Severity.critical),
    multiple_leaders(Severity.critical),
    two_writers(Severity.critical),
    paused(Severity.warning),
    replica_not_streaming(Severity.critical),
    lag_over_threshold(Severity.warning),
    slot_inactive(Severity.warning),
    pending_restart(Severity.warning),
    haproxy_unreachable(Severity.critical),
    haproxy_auth_failed(Severity.critical),
    haproxy_backend_missing(Severity.critical),
    haproxy_multiple_writers(Severity.critical),
    haproxy_write_unreachable(Severity.critical),
    haproxy_write_not_leader(Severity.critical),
    haproxy_read_unreachable(Severity.critical),
    haproxy_read_reaches_leader(Severity.warning),
    pgbouncer_unreachable(Severity.critical),
    pgbouncer_auth_failed(Severity.critical),
    pgbouncer_target_unreachable(Severity.critical),
    pgbouncer_not_leader(Severity.critical),
    config_drift(Severity.warning);

    final Severity severity;

    ProblemCode(Severity severity) {
        this.severity = severity;
    }

    Problem problem(String member, String message) {
        return new Problem(severity, name(), member, message);
    }

    /** The code for a component that did not answer: {@code authFailed} when it refused our credentials. */
    static ProblemCode failure(Outcome<?> outcome, ProblemCode unreachable, ProblemCode authFailed) {
        return outcome.authenticationFailed() ? authFailed : unreachable;
    }
}
