package io.connectha.status;

import io.connectha.cluster.LoadedCluster;
import io.connectha.cluster.Problem;
import io.connectha.cluster.SecretResolver;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * {@code connect ha status --all}: every context's cluster asked at once, each by its own
 * {@link StatusService} (the same gathering and judgment as {@code status}). The cluster files are read
 * first, all at once (milliseconds; outside the deadline, as for {@code status}); then every cluster is asked under one shared deadline, the one
 * {@code status} gives a single cluster. A cluster still gathering when it passes is a row with a
 * timeout problem; a cluster file that does not load is a row with its error. So the answer comes
 * within one status deadline however many clusters there are.
 */
public final class FleetStatusService {

    /** A context to ask: its name, its cluster file, and whether it is the current one. */
    public record Target(String context, Path clusterFile, boolean current) {
    }

    /**
     * After the deadline, for a cluster's judgment before its row becomes a timeout: milliseconds of work, but a
     * fresh JVM on a loaded machine loads the judgment's classes then. Reached only when something outside the
     * deadline's gathering hangs.
     */
    private static final Duration JUDGMENT = Duration.ofSeconds(1);
    /** Reading the cluster files is local work, outside the deadline as for {@code status}; a file not read by then hangs (a dead mount). */
    static final Duration LOAD_LIMIT = Duration.ofSeconds(10);

    private final List<Target> targets;
    private final Function<Path, LoadedCluster> loader;
    private final Duration connectTimeout;
    private final Duration readTimeout;
    private final Long maxLagBytes;
    private final Duration loadLimit;
    /** Each cluster's name as soon as its file has loaded, so that a row that timed out still names it. */
    private final Map<Target, String> names = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * @param loader      loads a cluster file, or throws with its one-line error
     * @param maxLagBytes replicas further behind are a problem in every cluster; null for each cluster's own maximum_lag_on_failover
     */
    public FleetStatusService(List<Target> targets, Function<Path, LoadedCluster> loader, Duration connectTimeout, Duration readTimeout,
                              Long maxLagBytes) {
        this(targets, loader, connectTimeout, readTimeout, maxLagBytes, LOAD_LIMIT);
    }

    FleetStatusService(List<Target> targets, Function<Path, LoadedCluster> loader, Duration connectTimeout, Duration readTimeout,
                       Long maxLagBytes, Duration loadLimit) {
        this.loadLimit = loadLimit;
        this.targets = List.copyOf(targets);
        this.loader = loader;
        this.connectTimeout = connectTimeout;
        this.readTimeout = readTimeout;
        this.maxLagBytes = maxLagBytes;
    }

    public FleetStatus check() {
        Instant start = Instant.now();
        Duration budget = new StatusService.Options(connectTimeout, readTimeout, 0).deadline();
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, targets.size()), r -> {
            Thread t = new Thread(r, "status-all");
            t.setDaemon(true);
            return t;
        });
        try {
            // the files first, all at once: local work, which a fresh JVM on a busy machine can make take seconds
            Map<Target, Future<LoadedCluster>> loading = new LinkedHashMap<>();
            for (Target t : targets) {
                loading.put(t, pool.submit(() -> loader.apply(t.clusterFile())));
            }
            Map<Target, Object> loaded = new LinkedHashMap<>();
            Instant loadedBy = start.plus(loadLimit);
            for (Map.Entry<Target, Future<LoadedCluster>> e : loading.entrySet()) {
                loaded.put(e.getKey(), awaitLoad(e.getKey(), e.getValue(), loadedBy, start));
            }
            // then every cluster under the same deadline, as status gives one cluster
            Instant deadline = Instant.now().plus(budget);
            Map<Target, Future<FleetStatus.Cluster>> asked = new LinkedHashMap<>();
            for (Map.Entry<Target, Object> e : loaded.entrySet()) {
                if (e.getValue() instanceof LoadedCluster cluster) {
                    asked.put(e.getKey(), pool.submit(() -> one(e.getKey(), cluster, deadline, start)));
                }
            }
            List<FleetStatus.Cluster> rows = new ArrayList<>();
            Instant last = deadline.plus(JUDGMENT);
            for (Map.Entry<Target, Object> e : loaded.entrySet()) {
                rows.add(e.getValue() instanceof FleetStatus.Cluster row ? row : await(e.getKey(), asked.get(e.getKey()), last, budget, start));
            }
            return new FleetStatus(start, Duration.between(start, Instant.now()), budget, rows);
        } finally {
            pool.shutdownNow();
        }
    }

    /** The loaded cluster, or the row that says why there is none. */
    private Object awaitLoad(Target t, Future<LoadedCluster> future, Instant limit, Instant start) {
        long left = Math.max(0, Duration.between(Instant.now(), limit).toMillis());
        try {
            return future.get(left, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            return without(t, null, FleetStatus.Verdict.timeout, Problem.critical(FleetStatus.STATUS_TIMEOUT, null,
                    "cluster file not read within " + loadLimit.toMillis() + " ms"), Duration.between(start, Instant.now()));
        } catch (ExecutionException e) {
            return without(t, null, FleetStatus.Verdict.cluster_file_invalid,
                    Problem.critical(FleetStatus.CLUSTER_FILE_INVALID, null, firstLine(e.getCause())), Duration.between(start, Instant.now()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return without(t, null, FleetStatus.Verdict.failure, Problem.critical(FleetStatus.STATUS_FAILED, null, "interrupted"),
                    Duration.between(start, Instant.now()));
        }
    }

    private FleetStatus.Cluster one(Target t, LoadedCluster cluster, Instant deadline, Instant start) {
        names.put(t, cluster.spec().name());
        long maxLag = maxLagBytes != null ? maxLagBytes : cluster.spec().patroni().maximumLagOnFailover().bytes();
        ClusterStatus status = new StatusService(cluster, new SecretResolver(cluster), new StatusService.Options(connectTimeout, readTimeout, maxLag))
                .check(deadline);
        Problem worst = status.problems().stream().filter(p -> p.severity() == Problem.Severity.critical).findFirst()
                .orElse(status.problems().isEmpty() ? null : status.problems().get(0));
        int up = (int) status.members().stream().filter(m -> m.patroni().reachable() && m.postgres().reachable()).count();
        return new FleetStatus.Cluster(t.context(), t.current(), t.clusterFile().toString(), status.cluster(), FleetStatus.Verdict.of(status),
                status.leader(), up, status.members().size(), status.problems().size(), worst, Duration.between(start, Instant.now()));
    }

    private FleetStatus.Cluster await(Target t, Future<FleetStatus.Cluster> future, Instant last, Duration budget, Instant start) {
        long left = Math.max(0, Duration.between(Instant.now(), last).toMillis());
        try {
            return future.get(left, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            return without(t, names.get(t), FleetStatus.Verdict.timeout, Problem.critical(FleetStatus.STATUS_TIMEOUT, null,
                    "no status within " + budget.toMillis() + " ms"), Duration.between(start, Instant.now()));
        } catch (ExecutionException e) {
            return without(t, names.get(t), FleetStatus.Verdict.failure, Problem.critical(FleetStatus.STATUS_FAILED, null, firstLine(e.getCause())),
                    Duration.between(start, Instant.now()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return without(t, names.get(t), FleetStatus.Verdict.failure, Problem.critical(FleetStatus.STATUS_FAILED, null, "interrupted"),
                    Duration.between(start, Instant.now()));
        }
    }

    private static FleetStatus.Cluster without(Target t, String cluster, FleetStatus.Verdict verdict, Problem problem, Duration took) {
        return new FleetStatus.Cluster(t.context(), t.current(), t.clusterFile().toString(), cluster, verdict, null, null, null, 1, problem, took);
    }

    private static String firstLine(Throwable e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return m.lines().findFirst().orElse(m).strip();
    }
}
