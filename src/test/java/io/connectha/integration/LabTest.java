package io.connectha.integration;

import io.connectha.support.Handles;

import io.connectha.cluster.ClusterSpec;
import io.connectha.cluster.MemberSpec;
import io.connectha.cluster.SecretName;
import io.connectha.process.ProcessController;
import io.connectha.net.Http;
import io.connectha.patroni.PatroniClient;
import io.connectha.patroni.PatroniCluster;
import io.connectha.patroni.PatroniMember;
import io.connectha.pg.PgConnector;
import io.connectha.support.CommandRun;
import io.connectha.support.LabExtension;
import io.connectha.support.LabExtension.RunningLab;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** The shared lab is what `lab up` promises: one leader, replicas streaming, HAProxy and PgBouncer routing. */
@Tag("integration")
@ExtendWith(LabExtension.class)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class LabTest {

    private final PgConnector pg = new PgConnector(Duration.ofSeconds(2), Duration.ofSeconds(10));

    @Test
    void one_leader_and_every_replica_streaming_per_postgresql_itself(RunningLab lab) {
        ClusterSpec spec = lab.cluster().spec();
        PatroniCluster cluster;
        try (Http http = new Http(Duration.ofSeconds(1), Duration.ofSeconds(2))) {
            cluster = new PatroniClient(http).cluster(spec.members().get(0));
        }
        assertThat(cluster.leaders()).hasSize(1);
        PatroniMember leader = cluster.leader().orElseThrow();
        MemberSpec leaderSpec = spec.member(leader.name()).orElseThrow();
        try (Handle h = Handles.open(pg, superuser(spec, leaderSpec.host(), leaderSpec.port()), lab.secrets().password(SecretName.superuser))) {
            Set<String> streaming = h.createQuery("SELECT application_name FROM pg_stat_replication WHERE state = 'streaming'")
                    .mapTo(String.class).set();
            Set<String> replicas = spec.members().stream().map(MemberSpec::name).filter(n -> !n.equals(leader.name())).collect(Collectors.toSet());
            assertThat(streaming).isEqualTo(replicas);
        }
    }

    @Test
    void writes_through_pgbouncer_reach_the_leader_and_reads_through_haproxy_reach_a_replica(RunningLab lab) throws Exception {
        ClusterSpec spec = lab.cluster().spec();
        String app = lab.secrets().password(SecretName.app);
        PgConnector.Endpoint bouncer = new PgConnector.Endpoint("PgBouncer", spec.pgbouncer().host(), spec.pgbouncer().port(), "app", "app");
        try (Handle h = Handles.openPooled(pg, bouncer, app)) {
            h.execute("CREATE TABLE IF NOT EXISTS lab_probe(v text)");
            h.execute("INSERT INTO lab_probe VALUES ('through pgbouncer')");
            assertThat(h.createQuery("SELECT pg_is_in_recovery()").mapTo(Boolean.class).one()).isFalse();
        }
        PgConnector.Endpoint read = new PgConnector.Endpoint("HAProxy read port", spec.haproxy().host(), spec.haproxy().readPort(), "app", "app");
        ProcessController.awaitReady("row visible through the read port", Duration.ofSeconds(10), Duration.ofMillis(100), () -> {
            try (Handle h = Handles.open(pg, read, app)) {
                return h.createQuery("SELECT pg_is_in_recovery()").mapTo(Boolean.class).one()
                        && h.createQuery("SELECT count(*) FROM lab_probe WHERE v = 'through pgbouncer'").mapTo(Integer.class).one() >= 1;
            }
        });
    }

    @Test
    void members_look_like_hosts_of_their_own_on_ports_below_the_ephemeral_range(RunningLab lab) {
        ClusterSpec spec = lab.cluster().spec();
        assertThat(spec.members()).extracting(MemberSpec::host).containsExactly("127.0.0.11", "127.0.0.12", "127.0.0.13");
        List<Integer> ports = new java.util.ArrayList<>();
        spec.members().forEach(m -> {
            ports.add(m.port());
            ports.add(m.patroniPort());
        });
        spec.etcd().members().forEach(e -> {
            ports.add(e.clientPort());
            ports.add(e.peerPort());
        });
        ports.addAll(List.of(spec.haproxy().writePort(), spec.haproxy().readPort(), spec.haproxy().statsPort(), spec.pgbouncer().port()));
        assertThat(ports).allMatch(p -> p >= LabExtension.PORT_BASE && p < 32768);
        assertThat(spec.drills()).isEqualTo(ClusterSpec.DrillPolicy.allowed);
        assertThat(spec.patroni().ttl()).isEqualTo(10);
        assertThat(spec.patroni().loopWait()).isEqualTo(2);
    }

    @Test
    void lab_status_shows_every_process_running_and_answering(RunningLab lab) {
        CommandRun run = CommandRun.of("ha", "lab", "status", "--dir", lab.dir().toString());
        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        List<String> rows = run.out().lines().filter(l -> l.contains("running")).toList();
        assertThat(rows).hasSize(9).allMatch(r -> r.endsWith("yes"));
        assertThat(run.out()).contains("postgres-pg1", "patroni-pg3", "etcd1", "haproxy", "pgbouncer");
    }

    @Test
    void lab_up_on_a_running_lab_says_so_and_starts_nothing(RunningLab lab) {
        String before = CommandRun.of("ha", "lab", "status", "--dir", lab.dir().toString(), "-o", "json").out();
        CommandRun run = CommandRun.of("ha", "lab", "up", "--dir", lab.dir().toString(), "--port-base", Integer.toString(LabExtension.PORT_BASE));
        assertThat(run.exitCode()).isZero();
        assertThat(run.err()).contains("A lab is already running in " + lab.dir());
        assertThat(CommandRun.of("ha", "lab", "status", "--dir", lab.dir().toString(), "-o", "json").out()).isEqualTo(before);
    }

    @Test
    void lab_logs_show_each_process_log(RunningLab lab) {
        CommandRun one = CommandRun.of("ha", "lab", "logs", "--dir", lab.dir().toString(), "patroni-pg1", "-n", "200");
        assertThat(one.exitCode()).isZero();
        assertThat(one.out()).contains("INFO");
        CommandRun all = CommandRun.of("ha", "lab", "logs", "--dir", lab.dir().toString(), "-n", "1");
        assertThat(all.out()).contains("==> etcd1", "==> patroni-pg2", "==> haproxy", "==> pgbouncer");
        CommandRun unknown = CommandRun.of("ha", "lab", "logs", "--dir", lab.dir().toString(), "nginx");
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.err()).contains("no log for 'nginx'").contains("patroni-pg1");
    }

    private static PgConnector.Endpoint superuser(ClusterSpec spec, String host, int port) {
        return new PgConnector.Endpoint("PostgreSQL", host, port, "postgres", spec.postgresql().superuser());
    }
}
