package io.connectha.cluster;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import java.util.List;
import java.util.Optional;

/**
 * The cluster file: one YAML document that describes a whole HA cluster. Fields are snake_case in
 * YAML. After {@link ClusterFileLoader} has read it, every field has its effective value.
 *
 * @param drills whether failover drills may run against this cluster ({@code allowed} or {@code forbidden})
 * @param drillFaultCommand the command a drill runs to apply a fault to a member it does not own (a remote
 *                          one, e.g. over ssh), and to put it back: {@code COMMAND apply|restore FAULT TARGET};
 *                          see docs/drills.md. Null: drills act only on a lab's own processes.
 * @param rtoTarget the longest client RTO a node loss may cost, such as {@code 30s}: {@code config generate},
 *                  {@code patroni edit-config} and {@code check} hold the settings' worst case to it (docs/rto.md)
 */
@JsonPropertyOrder({"name", "postgresql", "members", "etcd", "patroni", "haproxy", "pgbouncer", "app", "checks", "secrets", "drills", "drill_fault_command", "rto_target"})
public record ClusterSpec(
        String name,
        PostgresSpec postgresql,
        List<MemberSpec> members,
        EtcdSpec etcd,
        PatroniSpec patroni,
        HaproxySpec haproxy,
        PgbouncerSpec pgbouncer,
        AppSpec app,
        ChecksSpec checks,
        SecretsSpec secrets,
        DrillPolicy drills,
        String drillFaultCommand,
        String rtoTarget) {

    public enum DrillPolicy { allowed, forbidden }

    /** Fills every field that the file left out. */
    ClusterSpec withDefaults() {
        PostgresSpec pg = (postgresql == null ? PostgresSpec.EMPTY : postgresql).withDefaults();
        List<MemberSpec> ms = members == null ? List.of()
                : members.stream().map(m -> m == null ? null : m.withDefaults(pg)).toList();
        EtcdSpec e = (etcd == null ? EtcdSpec.EMPTY : etcd).withDefaults();
        PatroniSpec p = (patroni == null ? PatroniSpec.EMPTY : patroni).withDefaults(name);
        HaproxySpec h = (haproxy == null ? HaproxySpec.EMPTY : haproxy).withDefaults(name);
        PgbouncerSpec b = (pgbouncer == null ? PgbouncerSpec.EMPTY : pgbouncer).withDefaults(pg, h);
        AppSpec a = (app == null ? AppSpec.EMPTY : app).withDefaults();
        ChecksSpec c = (checks == null ? ChecksSpec.EMPTY : checks).withDefaults(p);
        SecretsSpec s = (secrets == null ? SecretsSpec.EMPTY : secrets).withDefaults();
        return new ClusterSpec(name, pg, ms, e, p, h, b, a, c, s, drills == null ? DrillPolicy.forbidden : drills,
                drillFaultCommand, rtoTarget == null ? "30s" : rtoTarget);
    }

    /** The TLS files' paths made absolute against the cluster file's directory. */
    ClusterSpec resolvedAgainst(java.nio.file.Path file) {
        return new ClusterSpec(name, postgresql.resolvedAgainst(file), members, etcd.resolvedAgainst(file),
                patroni.resolvedAgainst(file), haproxy, pgbouncer, app, checks, secrets, drills, drillFaultCommand, rtoTarget);
    }

    public Optional<MemberSpec> member(String memberName) {
        return members.stream().filter(m -> m.name().equals(memberName)).findFirst();
    }

    /** The member that starts as primary before Patroni or a failover decides otherwise: the first listed. */
    public MemberSpec initialPrimary() {
        return members.get(0);
    }
}
