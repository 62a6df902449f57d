package io.connectha.check;

import io.connectha.cluster.ClusterSpec;
import io.connectha.cluster.LoadedCluster;
import io.connectha.cluster.SecretName;
import io.connectha.cluster.SecretResolver;
import io.connectha.pg.PgConnector;
import io.connectha.pg.ReplicationSlot;

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

    /**
     * One slot as checked and judged; {@code render} says it in words.
     *
     * @param retainedLevel the threshold the WAL it keeps reached (OK for none); null when PostgreSQL does not say
     */
    public record Slot(String name, String type, boolean active, Long retainedBytes, String walStatus, CheckStatus status,
                       CheckStatus retainedLevel) {
        public boolean lost() {
            return "lost".equals(walStatus);
        }
    }

    /**
     * @param leader  the member out of recovery; null when none answered or there are several
     * @param writers the members out of recovery when there are several (split brain), else empty
     */
    public record Report(String cluster, String leader, CheckStatus status, List<String> writers, long warningBytes, long criticalBytes,
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
            return new Report(cluster, null, primaries.isEmpty() ? CheckStatus.UNKNOWN : CheckStatus.CRITICAL,
                    primaries.stream().map(p -> p.member().name()).toList(), warningBytes, criticalBytes, List.of(), start,
                    Duration.between(start, Instant.now()));
        }
        MemberProbes.Probe leader = primaries.get(0);
        List<Slot> slots = new ArrayList<>();
        for (ReplicationSlot s : leader.slots()) {
            CheckStatus status = s.active() ? CheckStatus.OK : CheckStatus.CRITICAL;
            CheckStatus retained = null;
            if (s.retainedBytes() != null) {
                retained = s.retainedBytes() >= criticalBytes ? CheckStatus.CRITICAL : s.retainedBytes() >= warningBytes ? CheckStatus.WARNING : CheckStatus.OK;
                status = status.worst(retained);
            }
            if ("lost".equals(s.walStatus())) {
                status = CheckStatus.CRITICAL;
            }
            slots.add(new Slot(s.name(), s.type(), s.active(), s.retainedBytes(), s.walStatus(), status, retained));
        }
        CheckStatus status = slots.stream().map(Slot::status).reduce(CheckStatus.OK, CheckStatus::worst);
        return new Report(cluster, leader.member().name(), status, List.of(), warningBytes, criticalBytes, slots, start,
                Duration.between(start, Instant.now()));
    }
}
