package io.connectha.patroni;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.connectha.cluster.MemberSpec;
import io.connectha.cluster.SecretName;
import io.connectha.error.ConnectError;
import io.connectha.net.EveryAnswer;
import io.connectha.pg.Endpoints;
import io.connectha.pg.PgConnector;
import io.connectha.pg.ReplicationQueries;
import io.connectha.pg.Sql;
import io.connectha.process.Progress;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * patronictl restart, member by member: replicas first and the leader last, each one waited for
 * until it is back — a replica streaming again per the leader's {@code pg_stat_replication} (Patroni
 * says "running" before that), the leader accepting writes — before the next is touched. A restart
 * that fails or does not come back in time stops the round: the members after it are left alone.
 */
public final class RollingRestart {

    /** Which members a restart is for, by their role now; patronictl's {@code --role}. */
    public enum RoleFilter {
        leader, replica, any;

        public boolean admits(PatroniNode n) {
            return this == any || (this == leader) == n.isLeader();
        }
    }

    /**
     * @param members     the members named (empty: every member of the cluster file)
     * @param pendingOnly only members with a restart pending (with {@code scheduledAt}, Patroni checks it then)
     * @param scheduledAt ISO 8601 with an offset: Patroni restarts each member then, and nothing is waited for
     * @param memberWait  how long each member may take to be back
     */
    public record Request(List<String> members, RoleFilter role, boolean pendingOnly, String scheduledAt, Duration memberWait, boolean dryRun) {
    }

    /** What became of one member. */
    public enum Action { restarted, scheduled, skipped, would_restart, would_schedule, failed, not_started }

    /**
     * @param startedBefore when its PostgreSQL had started before (Patroni's postmaster_start_time)
     * @param startedAfter  when it started after the restart: later than {@code startedBefore} is the proof
     * @param back          from the request to the member back (streaming, or the leader writable); null unless restarted
     */
    public record MemberRestart(String member, String role, boolean pendingRestart, Action action, String reason,
                                String patroniMessage, Instant startedBefore, Instant startedAfter, @JsonIgnore Duration back) {
        @JsonProperty("back_ms")
        public Long backMs() {
            return back == null ? null : back.toMillis();
        }
    }

    /**
     * The whole round. {@code member} and {@code patroniMessage} keep the shape of a one-member restart:
     * they are that member's when exactly one was named, else null.
     *
     * @param complete false when a member failed and the round stopped there
     */
    public record Result(String member, boolean pendingOnly, boolean dryRun, String patroniMessage, RoleFilter role,
                         String scheduledAt, List<MemberRestart> members, boolean complete, String leaderFirstBecause) {
    }

    /**
     * The members in the order they will be taken. {@code leaderFirstBecause} says why the leader goes first,
     * null when replicas do.
     */
    public record Plan(List<MemberRestart> members, String leaderFirstBecause) {
    }

    /**
     * The settings a hot standby must hold at least as high as its primary (PostgreSQL's "Hot Standby"
     * administration), with PostgreSQL's defaults. Patroni starts a replica with the higher of the
     * configured value and the one the primary last logged, so lowering one takes effect on a replica
     * only after the leader has restarted with it: for a decrease the leader must go first.
     */
    private static final java.util.Map<String, Long> STANDBY_AT_LEAST_PRIMARY = java.util.Map.of("max_connections", 100L,
            "max_prepared_transactions", 0L, "max_locks_per_transaction", 64L, "max_wal_senders", 10L, "max_worker_processes", 8L);

    private final PatroniService patroni;
    private final Progress progress;

    public RollingRestart(PatroniService patroni, Progress progress) {
        this.patroni = patroni;
        this.progress = progress;
    }

    /**
     * The members the request is for, each with its state now: replicas first and the leader last, unless
     * the restart lowers a setting a standby must hold at least as high as its primary.
     */
    public Plan plan(Request request) {
        List<MemberSpec> named = patroni.members(request.members());
        List<MemberRestart> replicas = new ArrayList<>();
        List<MemberRestart> leaders = new ArrayList<>();
        for (EveryAnswer.Answer<MemberSpec, PatroniNode> a : patroni.nodes(named)) {
            if (!a.ok()) {
                // the round would stop at this member anyway; better before anything has been restarted
                throw a.error();
            }
            PatroniNode n = a.value();
            boolean leader = n.isLeader();
            if (!request.role().admits(n)) {
                continue;
            }
            String reason = request.pendingOnly() && request.scheduledAt() == null && !n.pendingRestart() ? "no restart pending" : null;
            Action action = reason != null ? Action.skipped
                    : request.scheduledAt() != null ? (request.dryRun() ? Action.would_schedule : Action.scheduled)
                    : request.dryRun() ? Action.would_restart : Action.not_started;
            (leader ? leaders : replicas).add(new MemberRestart(n.member(), leader ? "leader" : "replica", n.pendingRestart(), action,
                    reason, null, n.postmasterStart(), null, null));
        }
        String leaderFirst = leaders.isEmpty() || replicas.isEmpty() || request.scheduledAt() != null ? null : lowered(leaders.get(0).member());
        List<MemberRestart> order = new ArrayList<>(leaderFirst == null ? replicas : leaders);
        order.addAll(leaderFirst == null ? leaders : replicas);
        return new Plan(order, leaderFirst);
    }

    /**
     * Which standby-sensitive setting the DCS config lowers below what the leader runs, as "name running -> wanted";
     * null when none does, or when that cannot be read (then the usual order stands).
     */
    private String lowered(String leader) {
        try {
            com.fasterxml.jackson.databind.JsonNode parameters = patroni.config().path("postgresql").path("parameters");
            PgConnector pg = new PgConnector(patroni.connectTimeout(), patroni.readTimeout());
            java.sql.Connection c = pg.connect(Endpoints.memberAsSuperuser(patroni.loadedCluster().spec(), patroni.member(leader)),
                    patroni.secrets().password(SecretName.superuser));
            try {
                // the names are this class's constants, not input
                List<String[]> running = Sql.list(c, "SELECT name, setting FROM pg_settings WHERE name IN ('"
                                + String.join("', '", new java.util.TreeSet<>(STANDBY_AT_LEAST_PRIMARY.keySet())) + "') ORDER BY name",
                        rs -> new String[]{rs.getString(1), rs.getString(2)});
                for (String[] r : running) {
                    com.fasterxml.jackson.databind.JsonNode v = parameters.get(r[0]);
                    long wanted = v == null || v.isNull() ? STANDBY_AT_LEAST_PRIMARY.get(r[0]) : Long.parseLong(v.asText().strip());
                    if (wanted < Long.parseLong(r[1])) {
                        return r[0] + " " + r[1] + " -> " + wanted;
                    }
                }
            } finally {
                Sql.close(c);
            }
        } catch (ConnectError | NumberFormatException e) {
            // the usual order: a decrease then leaves replicas pending until restarted once more
        }
        return null;
    }

    public Result run(Request request) {
        Plan planned = plan(request);
        List<MemberRestart> plan = planned.members();
        if (planned.leaderFirstBecause() != null && !request.dryRun()) {
            progress.info("The leader goes first: the restart lowers " + planned.leaderFirstBecause()
                    + ", and a replica may not run below its primary.");
        }
        List<MemberRestart> done = new ArrayList<>();
        boolean stopped = false;
        // once the leader has restarted first, the LSN each replica must have replayed before its own restart
        Long leaderChange = null;
        for (MemberRestart m : plan) {
            if (stopped || m.action() != Action.not_started && m.action() != Action.scheduled) {
                done.add(m);
                continue;
            }
            MemberRestart after = m.action() == Action.scheduled ? schedule(m, request) : restart(m, request, leaderChange);
            stopped = after.action() == Action.failed;
            if (after.action() == Action.restarted && after.role().equals("leader") && planned.leaderFirstBecause() != null) {
                leaderChange = leaderLsn(after.member());
            }
            done.add(after);
        }
        MemberRestart only = request.members().size() == 1 && done.size() == 1 ? done.get(0) : null;
        return new Result(only == null ? null : only.member(), request.pendingOnly(), request.dryRun(),
                only == null ? null : only.patroniMessage(), request.role(), request.scheduledAt(), done,
                done.stream().noneMatch(m -> m.action() == Action.failed || m.action() == Action.not_started), planned.leaderFirstBecause());
    }

    private MemberRestart schedule(MemberRestart m, Request request) {
        try {
            String message = patroni.scheduleRestart(patroni.member(m.member()), request.scheduledAt(), request.pendingOnly());
            progress.info(m.member() + ": restart scheduled for " + request.scheduledAt());
            return with(m, Action.scheduled, null, message, null, null);
        } catch (ConnectError e) {
            return with(m, Action.failed, e.getMessage(), null, null, null);
        }
    }

    private MemberRestart restart(MemberRestart m, Request request, Long replayedFirst) {
        MemberSpec spec = patroni.member(m.member());
        if (replayedFirst != null) {
            // PostgreSQL logs the leader's new settings as it starts; Patroni starts a replica with the
            // higher of its own and the last logged, so a replica restarted before it replays them keeps the old
            try {
                awaitStreaming(m.member(), replayedFirst, Instant.now().plus(request.memberWait()));
            } catch (ConnectError e) {
                return with(m, Action.failed, e.getMessage(), null, null, null);
            }
        }
        progress.info("Restarting PostgreSQL on " + m.member() + " (" + m.role() + ")...");
        Instant start = Instant.now();
        String message;
        try {
            message = patroni.restartNow(spec, request.pendingOnly());
        } catch (ConnectError e) {
            return with(m, Action.failed, e.getMessage(), null, null, null);
        }
        Instant until = start.plus(request.memberWait());
        try {
            Instant startedAfter = awaitStarted(spec, m.startedBefore(), until);
            if (m.role().equals("leader")) {
                patroni.awaitLeader(m.member(), Duration.between(Instant.now(), until));
            } else {
                awaitStreaming(m.member(), null, until);
            }
            Duration back = Duration.between(start, Instant.now());
            progress.step(m.member() + " is back" + (m.role().equals("leader") ? " and accepts writes" : " and streams"), back);
            return with(m, Action.restarted, null, message, startedAfter, back);
        } catch (ConnectError e) {
            return with(m, Action.failed, e.getMessage(), message, null, null);
        }
    }

    private static MemberRestart with(MemberRestart m, Action action, String reason, String message, Instant startedAfter, Duration back) {
        return new MemberRestart(m.member(), m.role(), m.pendingRestart(), action, reason, message, m.startedBefore(), startedAfter, back);
    }

    /** Until Patroni reports a PostgreSQL that started after {@code before} and runs. */
    private Instant awaitStarted(MemberSpec member, Instant before, Instant until) {
        while (true) {
            try {
                PatroniNode n = patroni.node(member);
                if (n.postmasterStart() != null && (before == null || n.postmasterStart().isAfter(before)) && "running".equals(n.state())) {
                    return n.postmasterStart();
                }
            } catch (ConnectError e) {
                // Patroni is busy restarting: ask again
            }
            pauseUntil(until, member.name() + "'s PostgreSQL did not start again");
        }
    }

    /** The leader's current WAL position; null when it cannot be read (the replicas are then only waited for to stream). */
    private Long leaderLsn(String leader) {
        try {
            java.sql.Connection c = new PgConnector(patroni.connectTimeout(), patroni.readTimeout()).connect(
                    Endpoints.memberAsSuperuser(patroni.loadedCluster().spec(), patroni.member(leader)),
                    patroni.secrets().password(SecretName.superuser));
            try {
                return ReplicationQueries.nodeState(c).currentLsn();
            } finally {
                Sql.close(c);
            }
        } catch (ConnectError e) {
            return null;
        }
    }

    /**
     * Until the leader's pg_stat_replication shows {@code member} streaming (Patroni's name is its
     * application_name) and, when {@code replayedAtLeast} is given, replayed up to there.
     */
    private void awaitStreaming(String member, Long replayedAtLeast, Instant until) {
        PgConnector pg = new PgConnector(patroni.connectTimeout(), patroni.readTimeout());
        String password = patroni.secrets().password(SecretName.superuser);
        while (true) {
            try {
                Optional<PatroniMember> leader = patroni.cluster().leader();
                if (leader.isPresent()) {
                    java.sql.Connection c = pg.connect(Endpoints.memberAsSuperuser(patroni.loadedCluster().spec(),
                            patroni.member(leader.get().name())), password);
                    try {
                        if (ReplicationQueries.replication(c).stream()
                                .anyMatch(r -> member.equals(r.applicationName()) && r.streaming() && (replayedAtLeast == null
                                        || r.replayLsn() != null && r.replayLsn() >= replayedAtLeast))) {
                            return;
                        }
                    } finally {
                        Sql.close(c);
                    }
                }
            } catch (ConnectError e) {
                if (e.kind() == ConnectError.Kind.AUTHENTICATION_FAILED) {
                    throw e;
                }
            }
            pauseUntil(until, member + " did not stream again (per the leader's pg_stat_replication)");
        }
    }

    private static void pauseUntil(Instant until, String failure) {
        if (!Instant.now().isBefore(until)) {
            throw new ConnectError(ConnectError.Kind.FAILURE, failure + " within the wait");
        }
        try {
            Thread.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConnectError(ConnectError.Kind.FAILURE, "interrupted", e);
        }
    }
}
