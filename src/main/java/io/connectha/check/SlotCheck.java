package io.connectha.check;

import io.connectha.cluster.ClusterSpec;
import io.connectha.cluster.LoadedCluster;
import io.connectha.cluster.SecretName;
import io.connectha.cluster.SecretResolver;
import io.connectha.pg.PgConnector;
import io.connectha.pg.ReplicationSlot;
import io.connectha.units.Units;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Replication slots on the leader: an inactive slot keeps WAL until the disk fills, so it is
 * CRITICAL; otherwise the WAL a slot retains is held against the thresholds.
 */
public final class SlotCheck {

    /** One slot as checked. */
    public record Slot(String name, String type, boolean active, Long retainedBytes, String walStatus, CheckStatus status, String reason) {
    }

    public record Report(String cluster, String leader, CheckStatus status, String summary, long warningBytes, long criticalBytes,
                         List<Slot> slots, Instant checkedAt, Duration took) {
    }

    private final LoadedCluster cluster;
    private final SecretResolver secrets;

    public SlotCheck(LoadedCluster cluster, SecretResolver secrets) {
        this.cluster = cluster;
        this.secrets = secrets;
    }

    public Report run(long warningBytes, long criticalBytes, Duration timeout) {
        Instant start = Instant.now();
        ClusterSpec spec = cluster.spec();
        Duration perCall = Duration.ofMillis(Math.max(1000, timeout.toMillis() / 2));
        Map<String, MemberProbes.Probe> probes = MemberProbes.probeAll(spec, new PgConnector(perCall, perCall),
                secrets.password(SecretName.superuser), start.plus(timeout));
        return judge(spec.name(), probes.values(), warningBytes, criticalBytes, start);
    }

    /** The report from what the members said: pure, so that each verdict is tested with hand-made probes. */
    static Report judge(String cluster, java.util.Collection<MemberProbes.Probe> probes, long warningBytes, long criticalBytes, Instant start) {
        List<MemberProbes.Probe> primaries = probes.stream().filter(MemberProbes.Probe::primary).toList();
        if (primaries.size() != 1) {
            String why = primaries.isEmpty() ? "the leader cannot be reached or there is none" : "two writers: "
                    + primaries.stream().map(p -> p.member().name()).toList();
            return new Report(cluster, null, primaries.isEmpty() ? CheckStatus.UNKNOWN : CheckStatus.CRITICAL, why,
                    warningBytes, criticalBytes, List.of(), start, Duration.between(start, Instant.now()));
        }
        MemberProbes.Probe leader = primaries.get(0);
        List<Slot> slots = new ArrayList<>();
        for (ReplicationSlot s : leader.slots()) {
            CheckStatus status = CheckStatus.OK;
            List<String> reasons = new ArrayList<>();
            if (!s.active()) {
                status = CheckStatus.CRITICAL;
                reasons.add("inactive: it keeps WAL until it is used or dropped");
            }
            if (s.retainedBytes() != null) {
                CheckStatus r = s.retainedBytes() >= criticalBytes ? CheckStatus.CRITICAL : s.retainedBytes() >= warningBytes ? CheckStatus.WARNING : CheckStatus.OK;
                if (r != CheckStatus.OK) {
                    reasons.add("keeps " + Units.humanBytes(s.retainedBytes()) + " of WAL");
                }
                status = status.worst(r);
            }
            if ("lost".equals(s.walStatus())) {
                status = CheckStatus.CRITICAL;
                reasons.add("WAL it needs is gone (wal_status lost)");
            }
            slots.add(new Slot(s.name(), s.type(), s.active(), s.retainedBytes(), s.walStatus(), status, String.join(", ", reasons)));
        }
        CheckStatus status = slots.stream().map(Slot::status).reduce(CheckStatus.OK, CheckStatus::worst);
        String summary = slots.isEmpty() ? "no replication slots on " + leader.member().name()
                : String.join("; ", slots.stream().map(s -> s.name() + (s.active() ? " active" : " INACTIVE") + ", keeps "
                + (s.retainedBytes() == null ? "?" : Units.humanBytes(s.retainedBytes()))).toList());
        return new Report(cluster, leader.member().name(), status, summary, warningBytes, criticalBytes, slots, start,
                Duration.between(start, Instant.now()));
    }
}
