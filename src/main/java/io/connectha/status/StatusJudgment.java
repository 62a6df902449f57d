package io.connectha.status;

import io.connectha.cluster.ClusterValidator;
import io.connectha.cluster.Problem;
import io.connectha.haproxy.HaproxyServer;
import io.connectha.patroni.DcsConfig;
import io.connectha.patroni.PatroniCluster;
import io.connectha.patroni.PatroniMember;
import io.connectha.pg.NodeState;
import io.connectha.pg.ReplicationConnection;
import io.connectha.status.StatusObservations.Member;
import io.connectha.status.StatusObservations.Postgres;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Judges one check: from what was observed to what is true and what is wrong. PostgreSQL's word wins
 * over Patroni's where they differ (Patroni's {@code /primary} keeps answering 200 for seconds after
 * its PostgreSQL died, and a rejoined member reads "running" before it streams). No I/O and no clock,
 * so that every problem can be tested with observations built by hand.
 */
final class StatusJudgment {

    private StatusJudgment() {
    }

    static ClusterStatus judge(StatusObservations o) {
        Problems problems = new Problems();
        PatroniCluster view = o.members().stream().map(Member::patroni).filter(Outcome::ok).map(Outcome::value)
                .filter(Objects::nonNull).findFirst().orElse(null);
        String leader = leader(o, view, problems);

        // PostgreSQL's own word on who accepts writes
        List<String> writers = o.members().stream().filter(m -> m.postgres().ok() && !m.postgres().value().node().inRecovery())
                .map(Member::name).toList();
        if (writers.size() > 1) {
            problems.add(ProblemCode.two_writers, null, String.join(" and ", writers)
                    + " all accept writes (pg_is_in_recovery() is false on each): split brain");
        }
        Member named = leader == null ? null : o.members().stream().filter(m -> m.name().equals(leader)).findFirst().orElse(null);
        if (named != null && writers.isEmpty() && named.postgres().ok() && named.postgres().value().node().inRecovery()) {
            // a view from before the demotion (a Patroni that cannot reach the DCS answers from its cache): PostgreSQL's word wins
            problems.add(ProblemCode.no_leader, null, "no member is leader: Patroni names " + leader
                    + " but its PostgreSQL is in recovery (demoted), and no PostgreSQL accepts writes");
        }
        boolean dcsSilent = !o.etcd().endpoints().isEmpty()
                && o.etcd().endpoints().stream().noneMatch(ClusterStatus.EtcdEndpoint::reachable);
        if (named != null && writers.isEmpty() && !named.postgres().ok() && dcsSilent && !problems.has(ProblemCode.no_leader)) {
            // the name comes from a Patroni's cache (no etcd answers), and its PostgreSQL does not answer either (a demotion
            // restarts it): nothing says it still holds the leader key, and nobody takes writes
            problems.add(ProblemCode.no_leader, null, "no member is known to be leader: Patroni's cached view names " + leader
                    + ", but no etcd answers, its PostgreSQL does not answer, and no PostgreSQL accepts writes");
        }
        if (leader == null && writers.isEmpty() && !problems.has(ProblemCode.no_leader) && !problems.has(ProblemCode.multiple_leaders)
                && !o.members().isEmpty()) {
            // Patroni could not be asked (its view needs the DCS), so PostgreSQL is the witness: nobody takes writes
            boolean anyPostgres = o.members().stream().anyMatch(m -> m.postgres().ok());
            problems.add(ProblemCode.no_leader, null, "no member is leader: " + (view == null ? "no Patroni names one" : "Patroni names none")
                    + (anyPostgres ? " and no PostgreSQL accepts writes (pg_is_in_recovery() is true on every one that answers)"
                    : " and no PostgreSQL answers"));
        }
        ClusterStatus.DcsConfig dcsConfig = dcsConfig(o, problems);
        String primary = leader != null && writers.contains(leader) ? leader : writers.size() == 1 ? writers.get(0) : null;
        Postgres primaryProbe = primary == null ? null
                : o.members().stream().filter(m -> m.name().equals(primary)).findFirst().orElseThrow().postgres().value();
        Map<String, ReplicationConnection> connections = new LinkedHashMap<>();
        if (primaryProbe != null) {
            primaryProbe.replication().forEach(r -> connections.put(r.applicationName(), r));
        }

        List<MemberStatus> members = new ArrayList<>();
        for (Member m : o.members()) {
            PatroniMember pm = view == null ? null : view.members().stream().filter(x -> x.name().equals(m.name())).findFirst().orElse(null);
            members.add(member(o, m, pm, primaryProbe, connections.get(m.name()), leader, maxLagBytes(o, dcsConfig), problems));
        }

        List<ClusterStatus.Slot> slots = primaryProbe == null ? List.of() : primaryProbe.slots().stream()
                .map(s -> new ClusterStatus.Slot(s.name(), s.type(), s.active(), s.retainedBytes(), s.walStatus())).toList();
        for (ClusterStatus.Slot s : slots) {
            if (!s.active()) {
                problems.add(ProblemCode.slot_inactive, null, "slot " + s.name() + " on " + primary + " is inactive"
                        + (s.retainedBytes() == null ? "" : " and keeps " + s.retainedBytes() + " bytes of WAL"));
            }
        }
        ClusterStatus.Etcd etcd = etcd(o.etcd(), problems);
        String leaderOrPrimary = leader != null ? leader : primary;
        ClusterStatus.Haproxy haproxy = haproxy(o.haproxy(), leaderOrPrimary, problems);
        ClusterStatus.Pgbouncer pgbouncer = pgbouncer(o.pgbouncer(), leaderOrPrimary, problems);

        Integer timeline = members.stream().filter(MemberStatus::isLeader).map(MemberStatus::timeline).filter(Objects::nonNull)
                .findFirst().orElse(null);
        PatroniCluster.ScheduledSwitchover sw = view == null ? null : view.scheduledSwitchover();
        // a leader named from a Patroni's cache while no PostgreSQL takes writes is no leader: the header says so too
        String reported = problems.has(ProblemCode.no_leader) ? null : leader;
        return new ClusterStatus(o.cluster(), o.scope(), o.checkedAt(), o.took(), reported, timeline,
                view != null && view.isPaused(), sw == null ? null : new ClusterStatus.Switchover(sw.at(), sw.from(), sw.to()),
                members, slots, etcd, haproxy, pgbouncer, dcsConfig, problems.inCauseOrder());
    }

    /** The lag a replica may have: the option's, else maximum_lag_on_failover as Patroni runs it. */
    private static long maxLagBytes(StatusObservations o, ClusterStatus.DcsConfig config) {
        return o.maxLagBytes() != null ? o.maxLagBytes() : config.maximumLagOnFailover();
    }

    /**
     * Patroni's dynamic configuration as the cluster runs it, or the file's when it cannot be read; its
     * timing rule broken, and every setting the file sets itself to another value than the cluster runs.
     */
    private static ClusterStatus.DcsConfig dcsConfig(StatusObservations o, Problems problems) {
        Outcome<DcsConfig> held = o.dcsConfig();
        if (!held.ok() || held.value() == null) {
            DcsConfig f = o.file().values();
            return new ClusterStatus.DcsConfig(false, "cluster file", f.ttl(), f.loopWait(), f.retryTimeout(), f.maximumLagOnFailover(),
                    f.synchronousMode(), f.usePgRewind(), f.useSlots(), f.parameters(), List.of(), held.error());
        }
        DcsConfig running = held.value().running();
        List<String> defaulted = new ArrayList<>(running.settings().keySet());
        defaulted.removeAll(held.value().settings().keySet());
        ClusterValidator.timingRule(running.ttl(), running.loopWait(), running.retryTimeout()).ifPresent(why ->
                problems.add(ProblemCode.timing_rule, null, "Patroni's live timings break its rule: " + why + " (live DCS config)"));
        Map<String, Object> live = running.settings();
        o.file().set().settings().forEach((key, fileValue) -> {
            Object liveValue = live.get(key);
            if (liveValue != null && !DcsConfig.same(fileValue, liveValue)) {
                problems.add(ProblemCode.config_drift, null, key + ": the cluster file says " + fileValue + " ("
                        + DcsConfig.fileField(key) + "), Patroni runs " + liveValue + " (live DCS config"
                        + (defaulted.contains(key) ? ", Patroni's default" : "") + ")");
            }
        });
        return new ClusterStatus.DcsConfig(true, "etcd", running.ttl(), running.loopWait(), running.retryTimeout(),
                running.maximumLagOnFailover(), running.synchronousMode(), running.usePgRewind(), running.useSlots(),
                running.parameters(), List.copyOf(defaulted), null);
    }

    /** The one member Patroni names leader, or null: none answered, none is named, or more than one. */
    private static String leader(StatusObservations o, PatroniCluster view, Problems problems) {
        if (view == null) {
            if (!o.members().isEmpty()) {
                Outcome<PatroniCluster> first = o.members().get(0).patroni();
                problems.add(ProblemCode.failure(first, ProblemCode.patroni_unreachable, ProblemCode.patroni_auth_failed), null,
                        "no member's Patroni answered: " + first.error());
            }
            return null;
        }
        if (view.isPaused()) {
            problems.add(ProblemCode.paused, null, "Patroni is paused (maintenance mode): no automatic failover");
        }
        List<PatroniMember> leaders = view.leaders();
        if (leaders.isEmpty()) {
            problems.add(ProblemCode.no_leader, null, "Patroni names no leader");
            return null;
        }
        if (leaders.size() > 1) {
            problems.add(ProblemCode.multiple_leaders, null, "Patroni names " + leaders.size() + " leaders: "
                    + leaders.stream().map(PatroniMember::name).toList());
            return null;
        }
        return leaders.get(0).name();
    }

    private static MemberStatus member(StatusObservations o, Member m, PatroniMember pm, Postgres primaryProbe,
                                       ReplicationConnection connection, String leader, long maxLagBytes, Problems problems) {
        Outcome<PatroniCluster> own = m.patroni();
        Outcome<Postgres> pg = m.postgres();
        NodeState node = pg.ok() ? pg.value().node() : null;
        boolean isLeader = pm != null ? pm.isLeader() : node != null && !node.inRecovery();
        MemberRole patroniRole = pm == null ? null : MemberRole.of(pm.role());
        MemberRole role = patroniRole != null ? patroniRole
                : node == null ? MemberRole.unknown : node.inRecovery() ? MemberRole.replica : MemberRole.leader;
        String state = pm != null ? pm.state() : node != null ? "running" : "unknown";
        if (!own.ok()) {
            state = "patroni down";
            problems.add(ProblemCode.failure(own, ProblemCode.patroni_unreachable, ProblemCode.patroni_auth_failed), m.name(),
                    "Patroni on " + m.name() + ": " + own.error());
        }
        if (!pg.ok()) {
            state = "postgres down";
            String claim = pm != null && pm.isRunning() ? " (Patroni still reports it " + pm.state() + (isLeader ? " and leader" : "") + ")" : "";
            problems.add(ProblemCode.failure(pg, ProblemCode.postgres_unreachable, ProblemCode.postgres_auth_failed), m.name(),
                    "PostgreSQL on " + m.name() + ": " + pg.error() + claim);
        }
        Long lagBytes = null;
        Duration lag = null;
        Boolean streaming = null;
        if (!isLeader) {
            if (connection != null) {
                lagBytes = connection.lagBytes();
                lag = connection.replayLag() != null ? connection.replayLag() : lagBytes != null && lagBytes == 0 ? Duration.ZERO : null;
                streaming = connection.streaming();
            } else {
                // without a primary to ask, the replica's own WAL receiver is the best word on streaming
                streaming = primaryProbe == null && node != null ? node.streaming() : Boolean.FALSE;
                if (primaryProbe != null && node != null && primaryProbe.node().currentLsn() != null && node.replayLsn() != null) {
                    lagBytes = Math.max(0, primaryProbe.node().currentLsn() - node.replayLsn());
                }
            }
            if (pg.ok() && !streaming) {
                String patroniSays = pm != null && pm.isRunning() ? "Patroni calls it " + pm.state() + " but " : "";
                problems.add(ProblemCode.replica_not_streaming, m.name(), m.name() + ": " + patroniSays
                        + "it is not streaming" + (leader == null ? "" : " from " + leader) + " (pg_stat_replication)");
            }
            if (lagBytes != null && lagBytes > maxLagBytes) {
                problems.add(ProblemCode.lag_over_threshold, m.name(), m.name() + " is " + lagBytes
                        + " bytes behind the leader (threshold " + maxLagBytes
                        + (o.maxLagBytes() == null ? ", maximum_lag_on_failover" : "") + ")");
            }
        }
        boolean pendingRestart = pm != null && Boolean.TRUE.equals(pm.pendingRestart());
        if (pendingRestart) {
            problems.add(ProblemCode.pending_restart, m.name(), m.name() + " needs a restart for a changed setting");
        }
        Integer timeline = pm != null && pm.timeline() != null ? pm.timeline() : node == null ? null : node.timeline();
        MemberStatus.Patroni patroniView = new MemberStatus.Patroni(own.ok(), pm == null ? null : pm.role(),
                pm == null ? null : pm.state(), pm == null ? null : pm.timeline(), pm == null ? null : pm.lagBytes(),
                pendingRestart, pm == null ? null : pm.tags(), own.error());
        return new MemberStatus(m.name(), m.host(), m.port(), role, state, timeline, lagBytes, lag, streaming, patroniView,
                new MemberStatus.Postgres(pg.ok(), node, pg.error()), connection);
    }

    private static ClusterStatus.Etcd etcd(StatusObservations.Etcd e, Problems problems) {
        int healthy = (int) e.endpoints().stream().filter(ClusterStatus.EtcdEndpoint::reachable).count();
        boolean quorum = healthy > e.clusterSize() / 2 && e.raftLeader() != null;
        for (ClusterStatus.EtcdEndpoint endpoint : e.endpoints()) {
            if (!endpoint.reachable()) {
                problems.add(ProblemCode.etcd_unreachable, null, "etcd at " + endpoint.endpoint() + ": " + endpoint.error());
            }
        }
        // with none answering, etcd_unreachable already says it all
        if (!quorum && healthy > 0) {
            problems.add(ProblemCode.etcd_no_quorum, null, "etcd has no quorum: " + healthy + " of "
                    + e.endpoints().size() + " members answer");
        }
        String error = e.endpoints().stream().filter(x -> !x.reachable()).map(ClusterStatus.EtcdEndpoint::error).findFirst().orElse(null);
        return new ClusterStatus.Etcd(e.endpoints(), e.raftLeader(), healthy, quorum, e.leaderKeyHolder(), e.leaderKeyTtl(), error);
    }

    private static ClusterStatus.Haproxy haproxy(StatusObservations.Haproxy o, String leader, Problems problems) {
        List<HaproxyServer> all = o.servers().ok() ? o.servers().value() : List.of();
        ClusterStatus.Haproxy h = new ClusterStatus.Haproxy(o.servers().ok(), o.address(),
                all.stream().filter(s -> s.backend().equals(o.writeBackend())).toList(),
                all.stream().filter(s -> s.backend().equals(o.readBackend())).toList(),
                o.writeReaches().value(), o.servers().error(), o.writeReaches().error(), o.readReaches().value(), o.readReaches().error(),
                o.writeBackend(), o.readBackend(), o.backends());
        if (!h.reachable()) {
            problems.add(ProblemCode.failure(o.servers(), ProblemCode.haproxy_unreachable, ProblemCode.haproxy_auth_failed), null,
                    "HAProxy stats: " + h.error());
        } else {
            // a backend the cluster file names and HAProxy lacks would read as an empty, healthy-looking list
            for (String backend : new java.util.LinkedHashSet<>(List.of(o.writeBackend(), o.readBackend()))) {
                if (!h.has(backend)) {
                    problems.add(ProblemCode.haproxy_backend_missing, null, "HAProxy has no backend '" + backend + "' ("
                            + (backend.equals(o.writeBackend()) ? "haproxy.write_backend" : "haproxy.read_backend")
                            + " in the cluster file); its backends are: " + String.join(", ", o.backends()));
                }
            }
            if (h.upInWrite() > 1) {
                problems.add(ProblemCode.haproxy_multiple_writers, null, h.upInWrite() + " servers are UP in "
                        + io.connectha.haproxy.HaproxyStatusService.backendName("write", o.writeBackend()) + ": " + h.write().stream().filter(HaproxyServer::up).map(HaproxyServer::label).toList());
            }
        }
        if (h.readReachError() != null) {
            problems.add(ProblemCode.haproxy_read_unreachable, null, "HAProxy's read port: " + h.readReachError());
        } else if (h.readReaches() != null && h.readReaches().equals(leader)) {
            problems.add(ProblemCode.haproxy_read_reaches_leader, null, "HAProxy's read port reaches the leader " + leader
                    + ", not a replica");
        }
        if (h.writeReaches() == null) {
            problems.add(ProblemCode.haproxy_write_unreachable, null, "HAProxy's write port: " + h.writeReachError());
        } else if (leader != null && !h.writeReaches().equals(leader)) {
            problems.add(ProblemCode.haproxy_write_not_leader, null, "HAProxy's write port reaches " + h.writeReaches()
                    + ", not the leader " + leader);
        }
        return h;
    }

    private static ClusterStatus.Pgbouncer pgbouncer(StatusObservations.Pgbouncer o, String leader, Problems problems) {
        String reaches = o.reaches().value();
        ClusterStatus.Pgbouncer b = new ClusterStatus.Pgbouncer(o.pools().ok(), o.address(), o.pools().ok() ? o.pools().value() : List.of(),
                reaches, reaches == null || leader == null ? null : reaches.equals(leader), o.pools().error(), o.reaches().error());
        if (!b.reachable()) {
            problems.add(ProblemCode.failure(o.pools(), ProblemCode.pgbouncer_unreachable, ProblemCode.pgbouncer_auth_failed), null,
                    "PgBouncer admin console: " + b.error());
        }
        if (reaches == null) {
            if (b.reachable()) {
                problems.add(ProblemCode.pgbouncer_target_unreachable, null, "PgBouncer cannot reach the database: " + b.reachError());
            }
        } else if (leader != null && !reaches.equals(leader)) {
            problems.add(ProblemCode.pgbouncer_not_leader, null, "PgBouncer reaches " + reaches + ", not the leader " + leader);
        }
        return b;
    }

    /** Problems as they are found, handed out by cause: in {@link ProblemCode}'s order, then in the order found. */
    private static final class Problems {
        private final Map<ProblemCode, List<Problem>> byCode = new EnumMap<>(ProblemCode.class);

        boolean has(ProblemCode code) {
            return byCode.containsKey(code);
        }

        void add(ProblemCode code, String member, String message) {
            byCode.computeIfAbsent(code, c -> new ArrayList<>()).add(code.problem(member, message));
        }

        List<Problem> inCauseOrder() {
            return byCode.values().stream().flatMap(List::stream).toList();
        }
    }
}
