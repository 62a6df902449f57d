package io.connectha.status;

import io.connectha.cluster.Problem;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * {@code connect ha status --all}: one row per context, in the contexts file's order. This record is the
 * JSON schema of {@code status --all -o json}: see docs/contexts.md before changing it.
 *
 * @param deadline the one deadline every cluster had (connect + read timeout + 0.5 s, as for {@code status})
 */
public record FleetStatus(Instant checkedAt, Duration took, Duration deadline, List<Cluster> clusters) {

    /** What a cluster's row comes to; the command's exit code is the worst of them. */
    public enum Verdict {
        /** No problems. */
        healthy,
        /** Problems, though everything answered. */
        degraded,
        /** A member or component did not answer in time. */
        unreachable,
        /** A member or component refused our credentials. */
        auth_failed,
        /** The cluster file does not load. */
        cluster_file_invalid,
        /** The cluster's status was not over by the deadline. */
        timeout,
        /** Gathering failed in a way none of the above says. */
        failure;

        /** The verdict of one cluster's status, in status's own order: refused credentials, then unreachable, then degraded. */
        public static Verdict of(ClusterStatus status) {
            return status.healthy() ? healthy : status.anyAuthenticationFailed() ? auth_failed
                    : status.anyUnreachable() ? unreachable : degraded;
        }
    }

    /**
     * One context's cluster.
     *
     * @param cluster       the cluster's name from its file; null when the file does not load
     * @param leader        the member Patroni names leader; null for none, or when the cluster was not asked
     * @param membersUp     members whose Patroni and PostgreSQL both answered; null when the cluster was not asked
     * @param problems      how many problems status found (1 for a row that has no status: a file that does not load, a timeout)
     * @param worstProblem  the first critical problem in status's order of cause, else the first warning; null when healthy
     */
    public record Cluster(String context, boolean current, String clusterFile, String cluster, Verdict verdict, String leader,
                          Integer membersUp, Integer membersTotal, int problems, Problem worstProblem, Duration took) {
    }

    /** The codes of the rows that have no status of their own (the rest are status's: docs/status.md). */
    public static final String CLUSTER_FILE_INVALID = "cluster_file_invalid";
    public static final String STATUS_TIMEOUT = "status_timeout";
    public static final String STATUS_FAILED = "status_failed";
}
