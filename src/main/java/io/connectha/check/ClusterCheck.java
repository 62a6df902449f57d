package io.connectha.check;

import io.connectha.cluster.LoadedCluster;
import io.connectha.cluster.Problem;
import io.connectha.cluster.Quantities;
import io.connectha.patroni.RtoBudget;
import io.connectha.cluster.SecretResolver;
import io.connectha.haproxy.HaproxyServer;
import io.connectha.status.ClusterStatus;
import io.connectha.status.MemberStatus;
import io.connectha.status.StatusService;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** The seed plan's validation checklists as one pass over the cluster: each criterion met or not, with what was measured. */
public final class ClusterCheck {

    /**
     * One line of the checklist.
     *
     * @param measured what was found, for the criteria that are not a figure; null for the lag one
     * @param lag      the lag criterion's figures; null for every other one
     */
    public record Criterion(String name, boolean met, String measured, Lag lag) {
        Criterion(String name, boolean met, String measured) {
            this(name, met, measured, null);
        }
    }

    /** The largest lag of any replica (null when some replica's is unknown) and the threshold it is held against. */
    public record Lag(Long maxBytes, long thresholdBytes) {
    }

    /**
     * @param warnings what status warns of in Patroni's live configuration ({@code config_drift},
     *                 {@code timing_rule}): no criterion fails for it, but the check is WARNING
     */
    public record Report(String cluster, CheckStatus status, List<Criterion> criteria, Duration took, List<Problem> warnings) {
        public long failed() {
            return criteria.stream().filter(c -> !c.met()).count();
        }
    }

    /** Status's codes for the live configuration: the cluster runs, but not as the file says, or on timings Patroni warns of. */
    private static final List<String> LIVE_CONFIG_WARNINGS = List.of("timing_rule", "config_drift");

    private final LoadedCluster cluster;
    private final SecretResolver secrets;

    public ClusterCheck(LoadedCluster cluster, SecretResolver secrets) {
        this.cluster = cluster;
        this.secrets = secrets;
    }

    /**
     * @param threshold the lag threshold; null: {@code checks.lag_warning} when the file sets it, else
     *               maximum_lag_on_failover as the cluster runs it (live, or the file's when that cannot be read)
     */
    public Report run(Duration connectTimeout, Duration readTimeout, Long threshold) {
        Long given = threshold != null ? threshold
                : cluster.sets("/checks/lag_warning") ? Long.valueOf(cluster.spec().checks().lagWarning().bytes()) : null;
        ClusterStatus s = new StatusService(cluster, secrets, new StatusService.Options(connectTimeout, readTimeout, given)).check();
        long maxLagBytes = given != null ? given : s.dcsConfig().maximumLagOnFailover();
        List<Criterion> c = new ArrayList<>();
        long leaders = s.members().stream().filter(MemberStatus::isLeader).count();
        // no_leader also when Patroni names a leader whose PostgreSQL has been demoted
        boolean noLeader = s.problems().stream().anyMatch(p -> p.code().equals("no_leader"));
        c.add(new Criterion("a single leader", s.leader() != null && leaders == 1 && !noLeader
                && s.problems().stream().noneMatch(p -> p.code().equals("two_writers")),
                s.leader() == null ? leaders + " leaders" : noLeader ? "Patroni names " + s.leader() + " but its PostgreSQL is in recovery"
                        : "leader " + s.leader()));
        List<MemberStatus> replicas = s.members().stream().filter(m -> !m.isLeader()).toList();
        long streaming = replicas.stream().filter(m -> Boolean.TRUE.equals(m.streaming())).count();
        c.add(new Criterion("every replica streaming", streaming == replicas.size(), streaming + "/" + replicas.size() + " streaming"));
        long maxLag = replicas.stream().map(MemberStatus::lagBytes).filter(Objects::nonNull).mapToLong(Long::longValue).max().orElse(0);
        boolean lagKnown = replicas.stream().allMatch(m -> m.lagBytes() != null);
        c.add(new Criterion("lag under the threshold", lagKnown && maxLag <= maxLagBytes, null, new Lag(lagKnown ? maxLag : null, maxLagBytes)));
        long active = s.slots().stream().filter(ClusterStatus.Slot::active).count();
        c.add(new Criterion("replication slots active", active == s.slots().size() && !s.slots().isEmpty() || replicas.isEmpty(),
                active + "/" + s.slots().size() + " active"));
        ClusterStatus.Haproxy h = s.haproxy();
        boolean writeBackendMissing = h.reachable() && !h.has(h.writeBackend());
        String writeServers = writeBackendMissing
                ? "HAProxy has no backend '" + h.writeBackend() + "' (haproxy.write_backend); its backends are: " + String.join(", ", h.backends())
                : h.upInWrite() + " UP in " + h.writeBackend() + " ["
                + String.join(", ", h.write().stream().filter(HaproxyServer::up).map(HaproxyServer::label).toList()) + "]";
        c.add(new Criterion("HAProxy's write port reaches the leader", h.writeReaches() != null && h.writeReaches().equals(s.leader())
                && h.upInWrite() == 1 && !writeBackendMissing,
                h.writeReaches() == null ? h.writeReachError() + (writeBackendMissing ? "; " + writeServers : "")
                        : "reaches " + h.writeReaches() + ", " + writeServers));
        if (!replicas.isEmpty()) {
            boolean readBackendMissing = h.reachable() && !h.has(h.readBackend());
            boolean readOk = h.readReaches() != null && replicas.stream().anyMatch(m -> m.name().equals(h.readReaches())) && !readBackendMissing;
            c.add(new Criterion("HAProxy's read port reaches a replica", readOk, (h.readReaches() == null ? h.readReachError() : "reaches " + h.readReaches())
                    + (readBackendMissing ? "; HAProxy has no backend '" + h.readBackend() + "' (haproxy.read_backend); its backends are: "
                    + String.join(", ", h.backends()) : "")));
        }
        ClusterStatus.Pgbouncer b = s.pgbouncer();
        c.add(new Criterion("PgBouncer answering, SHOW POOLS working", b.reachable() && b.reaches() != null,
                b.reachable() ? b.pools().size() + " pool(s); reaches " + (b.reaches() == null ? b.reachError() : b.reaches()) : b.error()));
        ClusterStatus.Etcd e = s.etcd();
        c.add(new Criterion("etcd healthy, with quorum", e.quorum() && e.healthy() == e.endpoints().size(),
                e.healthy() + "/" + e.endpoints().size() + " answering" + (e.raftLeader() == null ? ", no raft leader" : ", leader " + e.raftLeader())));
        c.add(new Criterion("Patroni not paused", !s.paused(), s.paused() ? "paused (maintenance mode)" : "not paused"));
        List<Problem> warnings = new ArrayList<>(s.problems().stream().filter(p -> LIVE_CONFIG_WARNINGS.contains(p.code())).toList());
        rtoBudget(s.dcsConfig()).ifPresent(warnings::add);
        CheckStatus status = !c.stream().allMatch(Criterion::met) ? CheckStatus.CRITICAL
                : warnings.isEmpty() ? CheckStatus.OK : CheckStatus.WARNING;
        return new Report(s.cluster(), status, c, s.took(), warnings);
    }

    /**
     * {@code rto_budget}: the worst-case node-loss RTO of the timings Patroni runs (the live DCS's, else the
     * file's) and the file's HAProxy checks is over {@code rto_target}.
     */
    Optional<Problem> rtoBudget(ClusterStatus.DcsConfig dcs) {
        var spec = cluster.spec();
        int ttl = dcs.ttl() != null ? dcs.ttl() : spec.patroni().ttl();
        RtoBudget budget = RtoBudget.of(ttl, spec);
        if (!budget.overTarget()) {
            return Optional.empty();
        }
        int loopWait = dcs.loopWait() != null ? dcs.loopWait() : spec.patroni().loopWait();
        int retryTimeout = dcs.retryTimeout() != null ? dcs.retryTimeout() : spec.patroni().retryTimeout();
        return Optional.of(Problem.warning("rto_budget", null, budget.overTargetMessage(ttl, loopWait, retryTimeout,
                Quantities.parseDuration(spec.haproxy().checkInterval()), spec.haproxy().rise())
                + " (" + (dcs.live() ? "live DCS config" : "cluster file") + ")"));
    }
}
