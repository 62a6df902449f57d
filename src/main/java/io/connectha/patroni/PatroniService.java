package io.connectha.patroni;

import io.connectha.pg.Endpoints;

import com.fasterxml.jackson.databind.JsonNode;
import io.connectha.cluster.ClusterSpec;
import io.connectha.cluster.LoadedCluster;
import io.connectha.cluster.MemberSpec;
import io.connectha.cluster.SecretName;
import io.connectha.cluster.SecretResolver;
import io.connectha.error.ConnectError;
import io.connectha.net.FirstAnswer;
import io.connectha.net.Http;
import io.connectha.pg.PgConnector;
import io.connectha.pg.Sql;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * patronictl's operations through Patroni's REST API. Before a switchover or failover the
 * candidate is checked against PostgreSQL itself (streaming, within maximum_lag_on_failover), and
 * afterwards the new leader counts as confirmed only when Patroni names it and its PostgreSQL
 * accepts writes.
 */
public final class PatroniService implements AutoCloseable {

    /** Patroni answers a switchover, failover or restart only once it is done: those requests may wait this much longer. */
    static final Duration SLOW_ANSWER = Duration.ofSeconds(60);
    /** Beyond connect and read timeouts, for the threads and the JSON: what a read of all members may take in all. */
    private static final Duration MARGIN = Duration.ofMillis(500);

    private final LoadedCluster cluster;
    private final SecretResolver secrets;
    private final Http http;
    private Http slowHttp;
    private final PatroniClient reader;
    private final Duration connectTimeout;
    private final Duration readTimeout;

    public PatroniService(LoadedCluster cluster, SecretResolver secrets, Duration connectTimeout, Duration readTimeout) {
        this.cluster = cluster;
        this.secrets = secrets;
        this.connectTimeout = connectTimeout;
        this.readTimeout = readTimeout;
        this.http = PatroniClient.http(cluster.spec(), connectTimeout, readTimeout);
        this.reader = new PatroniClient(http);
    }

    private ClusterSpec spec() {
        return cluster.spec();
    }

    /** The cluster as the first member whose Patroni answers sees it. */
    public PatroniCluster cluster() {
        return firstAnswer(reader::cluster);
    }

    public List<HistoryEntry> history() {
        JsonNode n = firstAnswer(reader::history);
        List<HistoryEntry> entries = new ArrayList<>();
        for (JsonNode e : n) {
            entries.add(new HistoryEntry(e.path(0).asInt(), e.path(1).asLong(), e.path(2).asText(null), e.path(3).asText(null),
                    e.size() > 4 ? e.path(4).asText(null) : null));
        }
        return entries;
    }

    public JsonNode config() {
        return firstAnswer(reader::config);
    }

    /** Every member asked at once; the first that answers wins, and all must have answered by connect + read timeout. */
    private <T> T firstAnswer(java.util.function.Function<MemberSpec, T> call) {
        Duration deadline = connectTimeout.plus(readTimeout).plus(MARGIN);
        return FirstAnswer.among(spec().members(), call, m -> ConnectError.unreachable(PatroniClient.component(m), m.restAddress(),
                connectTimeout.plus(readTimeout), "no answer (timed out)", null), deadline);
    }

    /** For the requests Patroni answers at once (pause, resume, reinit). */
    private PatroniClient writer() {
        return PatroniClient.authenticated(http, spec(), secrets);
    }

    /** For the requests Patroni answers only once the work is done (switchover, failover, restart). */
    private PatroniClient slowWriter() {
        if (slowHttp == null) {
            slowHttp = http.withReadTimeout(readTimeout.plus(SLOW_ANSWER));
        }
        return PatroniClient.authenticated(slowHttp, spec(), secrets);
    }

    public MemberSpec member(String name) {
        return spec().member(name).orElseThrow(() -> ConnectError.invalidInput("no member '" + name + "' in the cluster file; members: "
                + spec().members().stream().map(MemberSpec::name).toList()));
    }

    /** Where the cluster is and how to reach it: what a caller that plans a leader change needs. */
    public LoadedCluster loadedCluster() {
        return cluster;
    }

    public SecretResolver secrets() {
        return secrets;
    }

    public Duration connectTimeout() {
        return connectTimeout;
    }

    public Duration readTimeout() {
        return readTimeout;
    }

    /** Switchover now (waiting until the candidate leads) or at {@code scheduledAt}. */
    public SwitchoverResult switchover(String leader, String candidate, String scheduledAt, boolean dryRun, Duration wait) {
        if (dryRun) {
            return new SwitchoverResult("switchover", leader, candidate, null, scheduledAt != null, scheduledAt, true, null);
        }
        Instant start = Instant.now();
        String message = slowWriter().switchover(member(leader), leader, candidate, scheduledAt);
        if (scheduledAt != null) {
            return new SwitchoverResult("switchover", leader, candidate, null, true, scheduledAt, false, message);
        }
        awaitLeader(candidate, wait);
        return new SwitchoverResult("switchover", leader, candidate, Duration.between(start, Instant.now()), false, null, false, message);
    }

    public SwitchoverResult failover(String leader, String candidate, boolean dryRun, Duration wait) {
        if (dryRun) {
            return new SwitchoverResult("failover", leader, candidate, null, false, null, true, null);
        }
        Instant start = Instant.now();
        String message = slowWriter().failover(member(candidate), candidate);
        awaitLeader(candidate, wait);
        return new SwitchoverResult("failover", leader, candidate, Duration.between(start, Instant.now()), false, null, false, message);
    }

    /** Until Patroni names {@code candidate} leader and its PostgreSQL is out of recovery. */
    public void awaitLeader(String candidate, Duration wait) {
        MemberSpec m = member(candidate);
        PgConnector pg = new PgConnector(connectTimeout, readTimeout);
        String password = secrets.password(SecretName.superuser);
        Instant until = Instant.now().plus(wait);
        while (Instant.now().isBefore(until)) {
            try {
                Optional<PatroniMember> leader = cluster().leader();
                if (leader.isPresent() && leader.get().name().equals(candidate)) {
                    java.sql.Connection c = pg.connect(Endpoints.memberAsSuperuser(spec(), m), password);
                    try {
                        if (!Sql.one(c, "SELECT pg_is_in_recovery()", rs -> rs.getBoolean(1))) {
                            return;
                        }
                    } finally {
                        Sql.close(c);
                    }
                }
            } catch (ConnectError e) {
                // mid-switchover some members do not answer; keep asking until the deadline
            }
            sleep(100);
        }
        throw new ConnectError(ConnectError.Kind.FAILURE, candidate + " was not confirmed as leader within " + wait.toSeconds() + " s");
    }

    public void pause(boolean pause) {
        onAnyMember(m -> {
            writer().pause(m, pause);
            return null;
        });
    }

    /** A cluster-wide change, sent to the first member whose Patroni answers: one member after another, never all at once. */
    private <T> T onAnyMember(java.util.function.Function<MemberSpec, T> change) {
        ConnectError last = null;
        for (MemberSpec m : spec().members()) {
            try {
                return change.apply(m);
            } catch (ConnectError e) {
                if (e.kind() != ConnectError.Kind.UNREACHABLE) {
                    throw e;
                }
                last = e;
            }
        }
        throw last;
    }

    /** What reinit did, or with {@code dryRun} would do; {@code patroniMessage} is Patroni's answer (null in a dry run). */
    public record ReinitResult(String member, boolean force, boolean dryRun, String patroniMessage) {
    }

    /**
     * What pause or resume did: {@code action} is pause or resume, {@code paused} is maintenance mode after it
     * (or, in a dry run, as it would be), {@code changed} is false when it was already so.
     */
    public record MaintenanceResult(String action, boolean paused, boolean changed, boolean dryRun) {
    }

    /** Maintenance mode on ({@code pause}) or off; nothing is sent when it is already so, or in a dry run. */
    public MaintenanceResult maintenance(boolean pause, boolean dryRun) {
        boolean already = cluster().isPaused() == pause;
        if (!already && !dryRun) {
            pause(pause);
        }
        return new MaintenanceResult(pause ? "pause" : "resume", pause, !already, dryRun);
    }

    /** The member to reinitialize: a replica, never the leader, whose data is the cluster's. */
    public MemberSpec replicaToReinitialize(String name) {
        MemberSpec m = member(name);
        if (cluster().leader().map(l -> l.name().equals(name)).orElse(false)) {
            throw ConnectError.invalidInput(name + " is the leader; only a replica can be reinitialized");
        }
        return m;
    }

    public ReinitResult reinitialize(String member, boolean force, boolean dryRun) {
        MemberSpec m = member(member);
        return new ReinitResult(member, force, dryRun, dryRun ? null : writer().reinitialize(m, force));
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConnectError(ConnectError.Kind.FAILURE, "interrupted", e);
        }
    }

    @Override
    public void close() {
        http.close();
    }

    /** One member's own view, {@code GET /patroni}. */
    public PatroniNode node(MemberSpec member) {
        return PatroniNode.fromJson(member.name(), reader.patroni(member));
    }

    /** Every given member's own view, asked at once under one deadline; a member that does not answer carries its error. */
    public List<io.connectha.net.EveryAnswer.Answer<MemberSpec, PatroniNode>> nodes(List<MemberSpec> members) {
        return io.connectha.net.EveryAnswer.of(members, this::node, m -> ConnectError.unreachable(PatroniClient.component(m),
                m.restAddress(), connectTimeout.plus(readTimeout), "no answer (timed out)", null),
                connectTimeout.plus(readTimeout).plus(MARGIN));
    }

    /** Restarts the member's PostgreSQL now; Patroni answers once it is up again. */
    public String restartNow(MemberSpec member, boolean onlyPending) {
        return slowWriter().restart(member, onlyPending);
    }

    public String scheduleRestart(MemberSpec member, String at, boolean onlyPending) {
        return writer().scheduleRestart(member, at, onlyPending);
    }

    public String reload(MemberSpec member) {
        return writer().reload(member);
    }

    /** Cancels the member's scheduled restart; empty when it had none. */
    public Optional<String> cancelScheduledRestart(MemberSpec member) {
        return writer().cancelScheduledRestart(member);
    }

    /** Cancels the cluster's scheduled switchover, through the first Patroni that answers; empty when none was scheduled. */
    public Optional<String> cancelScheduledSwitchover() {
        return onAnyMember(m -> writer().cancelScheduledSwitchover(m));
    }

    /** The members named, in the order given and each once; every member of the cluster file when none is named. */
    public List<MemberSpec> members(List<String> names) {
        return names.isEmpty() ? spec().members() : names.stream().distinct().map(this::member).toList();
    }
}
