package io.connectha.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.connectha.cluster.ClusterSpec;
import io.connectha.cluster.ClusterValidator;
import io.connectha.cluster.LoadedCluster;
import io.connectha.cluster.MemberSpec;
import io.connectha.cluster.Quantities;
import io.connectha.cluster.SecretName;
import io.connectha.cluster.SecretResolver;
import io.connectha.error.ConnectError;
import io.connectha.etcd.EtcdEntry;
import io.connectha.etcd.EtcdService;
import io.connectha.etcd.EtcdWrite;
import io.connectha.patroni.DcsConfig;
import io.connectha.patroni.RtoBudget;
import io.connectha.pg.Endpoints;
import io.connectha.pg.PgConnector;
import io.connectha.pg.Sql;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code patroni edit-config}: reads Patroni's config key from etcd with its mod_revision, applies a
 * {@link DcsPatch}, judges the result (types, Patroni's timing rule, the RTO budget, which parameters need
 * a restart), and writes it back only if the key still has the revision it was read at: etcd's
 * compare-and-swap, so that of two operators editing at once the second is told and loses nothing.
 * Not through Patroni's {@code PATCH /config}, which has no such condition.
 */
public final class DcsConfigEditor {

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Parameters PostgreSQL 15 only reads at start ({@code pg_settings.context = 'postmaster'}): what is
     * said when the leader's own pg_settings cannot be read.
     */
    static final Set<String> POSTMASTER_PARAMETERS = Set.of("archive_mode", "autovacuum_freeze_max_age", "autovacuum_max_workers",
            "autovacuum_multixact_freeze_max_age", "bonjour", "bonjour_name", "cluster_name", "config_file", "data_directory",
            "data_sync_retry", "dynamic_shared_memory_type", "event_source", "external_pid_file", "hba_file", "hot_standby", "huge_pages",
            "huge_page_size", "ident_file", "jit_provider", "listen_addresses", "logging_collector", "max_connections",
            "max_files_per_process", "max_locks_per_transaction", "max_logical_replication_workers", "max_pred_locks_per_transaction",
            "max_prepared_transactions", "max_replication_slots", "max_wal_senders", "max_worker_processes", "min_dynamic_shared_memory",
            "old_snapshot_threshold", "port", "recovery_target", "recovery_target_action", "recovery_target_inclusive",
            "recovery_target_lsn", "recovery_target_name", "recovery_target_time", "recovery_target_timeline", "recovery_target_xid",
            "shared_buffers", "shared_memory_type", "shared_preload_libraries", "superuser_reserved_connections",
            "track_activity_query_size", "track_commit_timestamp", "unix_socket_directories", "unix_socket_group",
            "unix_socket_permissions", "wal_buffers", "wal_decode_buffer_size", "wal_level", "wal_log_hints");

    /** The config key as read: its path, its mod_revision, and Patroni's JSON document. */
    public record Snapshot(String key, long modRevision, ObjectNode config) {
    }

    /** One setting that changes, by its dotted path; {@code before} or {@code after} null when it is added or removed. */
    public record Change(String key, JsonNode before, JsonNode after) {
    }

    /**
     * The parameters among the changed ones that PostgreSQL reads only at start.
     *
     * @param source {@code pg_settings on pg1} (the leader's own list), or {@code built-in list} when it could not be read
     */
    public record Restart(List<String> parameters, String source) {
    }

    /** What a patch would do, judged, not yet written. */
    public record Plan(Snapshot read, ObjectNode after, List<Change> changes, Restart restart, RtoBudget budgetBefore,
                       RtoBudget budget, String timingRule) {
        public boolean changed() {
            return !changes.isEmpty();
        }
    }

    /** The key changed between the read and the write: nothing was written. */
    public static final class Conflict extends RuntimeException {
        private final long readRevision;
        private final long currentRevision;

        public Conflict(String key, long readRevision, long currentRevision) {
            super("the config changed since it was read (revision " + readRevision + " -> " + currentRevision + "); nothing was written: run again");
            this.readRevision = readRevision;
            this.currentRevision = currentRevision;
        }

        public long readRevision() {
            return readRevision;
        }

        public long currentRevision() {
            return currentRevision;
        }
    }

    private final LoadedCluster cluster;
    private final SecretResolver secrets;
    private final EtcdService etcd;
    private final Duration connectTimeout;
    private final Duration readTimeout;

    public DcsConfigEditor(LoadedCluster cluster, SecretResolver secrets, EtcdService etcd, Duration connectTimeout, Duration readTimeout) {
        this.cluster = cluster;
        this.secrets = secrets;
        this.etcd = etcd;
        this.connectTimeout = connectTimeout;
        this.readTimeout = readTimeout;
    }

    public Snapshot read() {
        String key = etcd.patroniKeys().config();
        EtcdEntry entry = etcd.get(key).orElseThrow(() -> ConnectError.failure("etcd holds no " + key
                + ": Patroni writes it when it bootstraps the cluster", null));
        if (!entry.value().isObject()) {
            throw ConnectError.failure(key + " does not hold Patroni's JSON mapping", null);
        }
        return new Snapshot(key, entry.modRevision(), (ObjectNode) entry.value());
    }

    /**
     * Applies and judges a patch. Refuses (exit 2, one line naming the key) a wrong type always, and, unless
     * {@code force}, timings that break Patroni's rule or a budget that goes over {@code rto_target}.
     */
    public Plan plan(Snapshot read, DcsPatch patch, boolean force) {
        ObjectNode after = patch.applyTo(read.config());
        List<Change> changes = changes(read.config(), after);
        Map<String, JsonNode> changed = new LinkedHashMap<>();
        changes.forEach(c -> changed.put(c.key(), c.after()));
        DcsConfigRules.check(changed);
        ClusterSpec spec = cluster.spec();
        DcsConfig before = DcsConfig.fromJson(read.config()).running();
        DcsConfig now = DcsConfig.fromJson(after).running();
        RtoBudget budgetBefore = RtoBudget.of(before.ttl(), spec);
        RtoBudget budget = RtoBudget.of(now.ttl(), spec);
        boolean timingsChanged = changed.containsKey("ttl") || changed.containsKey("loop_wait") || changed.containsKey("retry_timeout");
        String timingRule = ClusterValidator.timingRule(now.ttl(), now.loopWait(), now.retryTimeout()).orElse(null);
        if (!force && timingsChanged && timingRule != null) {
            throw ConnectError.invalidInput("ttl: Patroni's timing rule: " + timingRule + "; add --force to write it anyway");
        }
        if (!force && budget.overTarget() && budget.worstCase().compareTo(budgetBefore.worstCase()) > 0) {
            throw ConnectError.invalidInput("ttl: " + budget.overTargetMessage(now.ttl(), now.loopWait(), now.retryTimeout(),
                    checkInterval(spec), spec.haproxy().rise()) + "; add --force to write it anyway");
        }
        Set<String> parameters = new LinkedHashSet<>();
        for (Change c : changes) {
            if (c.key().startsWith(DcsPatch.PARAMETERS + ".")) {
                parameters.add(c.key().substring(DcsPatch.PARAMETERS.length() + 1));
            }
        }
        return new Plan(read, after, changes, restartNeeded(parameters), budgetBefore, budget, timingRule);
    }

    /** Writes the plan's config if the key is still at the revision it was read at; else throws {@link Conflict}. */
    public EtcdWrite write(Plan plan) {
        String json;
        try {
            // compact, as Patroni writes the key; the document keeps its order, so only the edited keys change
            json = JSON.writeValueAsString(plan.after());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        EtcdWrite write = etcd.compareAndPut(plan.read().key(), plan.read().modRevision(), json);
        if (!write.written()) {
            throw new Conflict(plan.read().key(), write.readRevision(), write.modRevision());
        }
        return write;
    }

    /** Every setting whose value differs, in the order of the document before, then the new ones. */
    public static List<Change> changes(JsonNode before, JsonNode after) {
        Map<String, JsonNode> b = DcsPatch.flatten(before);
        Map<String, JsonNode> a = DcsPatch.flatten(after);
        List<Change> changes = new ArrayList<>();
        b.forEach((k, v) -> {
            JsonNode n = a.get(k);
            if (!v.equals(n)) {
                changes.add(new Change(k, v, n));
            }
        });
        a.forEach((k, v) -> {
            if (!b.containsKey(k)) {
                changes.add(new Change(k, null, v));
            }
        });
        return changes;
    }

    /** Which of {@code parameters} need a restart, from the leader's pg_settings when it answers, else the built-in list. */
    Restart restartNeeded(Set<String> parameters) {
        if (parameters.isEmpty()) {
            return new Restart(List.of(), null);
        }
        Optional<Map.Entry<String, Set<String>>> live = leaderPostmasterParameters();
        Set<String> postmaster = live.map(Map.Entry::getValue).orElse(POSTMASTER_PARAMETERS);
        return new Restart(parameters.stream().filter(postmaster::contains).toList(),
                live.map(e -> "pg_settings on " + e.getKey()).orElse("built-in list"));
    }

    private Optional<Map.Entry<String, Set<String>>> leaderPostmasterParameters() {
        try {
            String leader = etcd.get(etcd.patroniKeys().leader()).map(e -> e.value().asText()).orElse(null);
            Optional<MemberSpec> member = leader == null ? Optional.empty() : cluster.spec().member(leader);
            if (member.isEmpty()) {
                return Optional.empty();
            }
            java.sql.Connection c = new PgConnector(connectTimeout, readTimeout)
                    .connect(Endpoints.memberAsSuperuser(cluster.spec(), member.get()), secrets.password(SecretName.superuser));
            try {
                Set<String> names = new LinkedHashSet<>(Sql.list(c, "SELECT name FROM pg_settings WHERE context = 'postmaster'",
                        rs -> rs.getString(1)));
                return Optional.of(Map.entry(leader, names));
            } finally {
                Sql.close(c);
            }
        } catch (ConnectError e) {
            // no leader, no password, or PostgreSQL down: the built-in list still says what needs a restart
            return Optional.empty();
        }
    }

    public static Duration checkInterval(ClusterSpec spec) {
        return Quantities.parseDuration(spec.haproxy().checkInterval());
    }
}
