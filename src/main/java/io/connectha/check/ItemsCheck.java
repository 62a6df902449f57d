package io.connectha.check;

import io.connectha.cluster.LoadedCluster;
import io.connectha.cluster.SecretResolver;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * {@code check --only ITEM,...}: gathers from Patroni what the items need, judges each, and for the
 * "changed" items compares with the state file and records the new state.
 */
public final class ItemsCheck {

    /**
     * @param maxLagBytes null: {@code checks.lag_warning} when the file sets it, else maximum_lag_on_failover as Patroni runs it
     * @param minReplicas null: every replica the cluster file lists; {@code minReplicasCritical} null: 1
     * @param minMembers  null: every member the cluster file lists; {@code minMembersCritical} null: 2 (one fewer for a one-member cluster)
     * @param stateFile   required when an item keeps state
     */
    public record Options(List<CheckItem> items, Long maxLagBytes, Integer minReplicas, Integer minReplicasCritical, Integer minMembers,
                          Integer minMembersCritical, Path stateFile, Duration connectTimeout, Duration readTimeout) {
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    private final LoadedCluster cluster;
    private final SecretResolver secrets;

    public ItemsCheck(LoadedCluster cluster, SecretResolver secrets) {
        this.cluster = cluster;
        this.secrets = secrets;
    }

    public ItemsReport run(Options options) {
        Instant start = Instant.now();
        Set<CheckItem.Source> sources = EnumSet.noneOf(CheckItem.Source.class);
        options.items().forEach(i -> sources.addAll(i.sources()));
        boolean needsLag = options.items().contains(CheckItem.replicas) && options.maxLagBytes() == null
                && !cluster.sets("/checks/lag_warning");
        if (needsLag) {
            sources.add(CheckItem.Source.CONFIG);
        }
        boolean keepsState = options.items().stream().anyMatch(CheckItem::keepsState);
        CheckStateFile file = keepsState ? new CheckStateFile(options.stateFile()) : null;
        String name = cluster.spec().name();
        // a state file that is not ours is refused before Patroni is asked anything
        CheckState previous = file == null ? CheckState.none(name) : file.read(name);
        PatroniObservations o = new PatroniGather(cluster, secrets, options.connectTimeout(), options.readTimeout()).gather(sources);
        ItemOptions thresholds = thresholds(options, o);
        List<ItemResult> results = new ArrayList<>();
        CheckStatus status = CheckStatus.OK;
        for (CheckItem item : options.items()) {
            ItemResult r = ItemJudge.judge(item, o, thresholds, previous);
            results.add(r);
            status = status.worst(r.status());
        }
        if (file != null) {
            CheckState next = ItemJudge.record(options.items(), o, previous);
            if (!next.equals(previous)) {
                file.write(next, Instant.now());
            }
        }
        return new ItemsReport(name, status, results, start, Duration.between(start, Instant.now()));
    }

    /** Every item judged, and the state the "changed" items keep for the next round. */
    public record Judged(ItemsReport report, CheckState next) {
    }

    /**
     * Every item judged on what one status round gathered (the monitor's): the "changed" items against
     * {@code previous}, the round before, kept in memory rather than in a state file.
     */
    public Judged judge(io.connectha.status.StatusService.Gathered g, CheckState previous, Long maxLagBytes) {
        List<String> fileMembers = cluster.spec().members().stream().map(io.connectha.cluster.MemberSpec::name).toList();
        java.util.Map<String, PatroniObservations.Node> nodes = new java.util.LinkedHashMap<>();
        for (String name : fileMembers) {
            com.fasterxml.jackson.databind.JsonNode n = g.nodes().get(name);
            nodes.put(name, n != null ? PatroniGather.fromJson(name, n)
                    : PatroniObservations.Node.unanswered(name, g.nodeErrors().getOrDefault(name, "not asked")));
        }
        com.fasterxml.jackson.databind.JsonNode config = null;
        if (g.configJson() != null) {
            try {
                config = JSON.readTree(g.configJson());
            } catch (java.io.IOException e) {
                config = null; // the status says the config key is not JSON; the config items are UNKNOWN
            }
        }
        PatroniObservations o = new PatroniObservations(cluster.spec().name(), fileMembers, g.view(), nodes, config);
        List<CheckItem> items = List.of(CheckItem.values());
        ItemOptions thresholds = thresholds(new Options(items, maxLagBytes, null, null, null, null, null, null, null), o);
        List<ItemResult> results = new ArrayList<>();
        CheckStatus status = CheckStatus.OK;
        for (CheckItem item : items) {
            ItemResult r = ItemJudge.judge(item, o, thresholds, previous);
            results.add(r);
            status = status.worst(r.status());
        }
        return new Judged(new ItemsReport(cluster.spec().name(), status, results, g.status().checkedAt(), g.status().took()),
                ItemJudge.record(items, o, previous));
    }

    private ItemOptions thresholds(Options options, PatroniObservations o) {
        int fileMembers = cluster.spec().members().size();
        long maxLag = options.maxLagBytes() != null ? options.maxLagBytes()
                : cluster.sets("/checks/lag_warning") ? cluster.spec().checks().lagWarning().bytes()
                : o.config() != null ? io.connectha.patroni.DcsConfig.fromJson(o.config()).running().maximumLagOnFailover()
                : cluster.spec().patroni().maximumLagOnFailover().bytes();
        return new ItemOptions(maxLag,
                options.minReplicas() != null ? options.minReplicas() : Math.max(0, fileMembers - 1),
                options.minReplicasCritical() != null ? options.minReplicasCritical() : Math.min(1, Math.max(0, fileMembers - 1)),
                options.minMembers() != null ? options.minMembers() : fileMembers,
                options.minMembersCritical() != null ? options.minMembersCritical() : Math.min(2, fileMembers));
    }
}
