package io.connectha.integration;

import io.connectha.support.Handles;

import io.connectha.cli.ExitCodes;
import io.connectha.cluster.ClusterSpec;
import io.connectha.cluster.MemberSpec;
import io.connectha.cluster.SecretName;
import io.connectha.net.Http;
import io.connectha.patroni.PatroniClient;
import io.connectha.patroni.PatroniCluster;
import io.connectha.pg.PgConnector;
import io.connectha.status.ClusterStatus;
import io.connectha.support.CommandRun;
import io.connectha.support.Health;
import io.connectha.support.LabExtension;
import io.connectha.support.LabExtension.RunningLab;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The patroni commands against the real lab; every test leaves the lab healthy. */
@Tag("integration")
@ExtendWith(LabExtension.class)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class PatroniCommandsTest {

    private static CommandRun patroni(RunningLab lab, String... args) {
        List<String> all = new ArrayList<>(List.of("ha", "-c", lab.clusterFile().toString(), "patroni"));
        all.addAll(List.of(args));
        return CommandRun.of(all.toArray(String[]::new));
    }

    private static PatroniCluster view(RunningLab lab) {
        try (Http http = new Http(Duration.ofSeconds(1), Duration.ofSeconds(2))) {
            return new PatroniClient(http).cluster(lab.cluster().spec().members().get(0));
        }
    }

    private static String replicaOf(ClusterStatus s) {
        return s.members().stream().filter(m -> !m.isLeader()).findFirst().orElseThrow().name();
    }

    @Test
    void list_and_show_config_read_patroni(RunningLab lab) {
        Health.awaitHealthy(lab, Duration.ofSeconds(90));
        CommandRun list = patroni(lab, "list");
        assertThat(list.exitCode()).as(list.err()).isZero();
        assertThat(list.out()).contains("pg1", "pg2", "pg3").containsOnlyOnce("leader");
        CommandRun config = patroni(lab, "show-config");
        assertThat(config.out()).contains("ttl: 10", "loop_wait: 2", "retry_timeout: 4", "use_pg_rewind: true");
        CommandRun json = patroni(lab, "list", "-o", "json");
        assertThat(json.out()).contains("\"members\"", "\"role\" : \"leader\"");
    }

    @Test
    void switchover_to_a_named_candidate_waits_until_it_leads_and_history_records_it(RunningLab lab) {
        ClusterStatus before = Health.awaitHealthy(lab, Duration.ofSeconds(90));
        String candidate = replicaOf(before);
        int historyBefore = patroni(lab, "history", "-o", "json").out().split("\"timeline\"").length;

        CommandRun run = patroni(lab, "switchover", "--candidate", candidate, "--yes");
        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        assertThat(run.out()).contains("Switchover done: " + candidate + " is the leader (confirmed by Patroni and PostgreSQL) after");
        assertThat(view(lab).leader().orElseThrow().name()).isEqualTo(candidate);
        ClusterStatus after = Health.awaitHealthy(lab, Duration.ofSeconds(90));
        assertThat(after.leader()).isEqualTo(candidate);
        assertThat(patroni(lab, "history", "-o", "json").out().split("\"timeline\"").length).isGreaterThan(historyBefore);
    }

    @Test
    void without_yes_and_without_a_terminal_nothing_happens(RunningLab lab) {
        ClusterStatus before = Health.awaitHealthy(lab, Duration.ofSeconds(90));
        CommandRun run = patroni(lab, "switchover");
        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).contains("not confirmed; stdin is not a terminal, so add --yes");
        CommandRun dry = patroni(lab, "switchover", "--dry-run");
        assertThat(dry.exitCode()).isZero();
        assertThat(dry.out()).contains("Dry run: would switchover from " + before.leader());
        assertThat(view(lab).leader().orElseThrow().name()).isEqualTo(before.leader());
    }

    @Test
    void a_candidate_behind_maximum_lag_on_failover_is_refused(RunningLab lab) {
        ClusterStatus before = Health.awaitHealthy(lab, Duration.ofSeconds(90));
        String candidate = replicaOf(before);
        ClusterSpec spec = lab.cluster().spec();
        PgConnector pg = new PgConnector(Duration.ofSeconds(2), Duration.ofSeconds(30));
        String password = lab.secrets().password(SecretName.superuser);
        MemberSpec cm = spec.member(candidate).orElseThrow();
        MemberSpec lm = spec.member(before.leader()).orElseThrow();
        try (Handle c = Handles.open(pg, endpoint(cm), password); Handle l = Handles.open(pg, endpoint(lm), password)) {
            Health.setReplayDelay(lab, candidate, "1h");
            try {
                l.execute("CREATE TABLE IF NOT EXISTS lag_probe AS SELECT repeat('x', 1000) AS pad FROM generate_series(1, 4000)");
                l.execute("INSERT INTO lag_probe SELECT repeat('y', 1000) FROM generate_series(1, 4000)");
                CommandRun run = patroni(lab, "switchover", "--candidate", candidate, "--yes");
                assertThat(run.exitCode()).as(candidate + " / " + before.leader() + ": " + run.out() + run.err()).isEqualTo(ExitCodes.FAILURE);
                assertThat(run.err()).contains(candidate + " is ").contains("bytes behind " + before.leader() + ", more than maximum_lag_on_failover");
                assertThat(view(lab).leader().orElseThrow().name()).isEqualTo(before.leader());
            } finally {
                Health.setReplayDelay(lab, candidate, null);
                l.execute("DROP TABLE IF EXISTS lag_probe");
            }
        }
        Health.awaitHealthy(lab, Duration.ofSeconds(90));
    }

    @Test
    void failover_promotes_the_candidate(RunningLab lab) {
        ClusterStatus before = Health.awaitHealthy(lab, Duration.ofSeconds(90));
        String candidate = replicaOf(before);
        CommandRun run = patroni(lab, "failover", "--candidate", candidate, "--yes");
        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        assertThat(run.out()).contains("Failover done: " + candidate + " is the leader");
        assertThat(Health.awaitHealthy(lab, Duration.ofSeconds(90)).leader()).isEqualTo(candidate);
    }

    @Test
    void pause_and_resume_are_safe_to_run_twice(RunningLab lab) {
        Health.awaitHealthy(lab, Duration.ofSeconds(90));
        try {
            assertThat(patroni(lab, "pause", "--dry-run").out()).contains("Would pause");
            assertThat(view(lab).isPaused()).isFalse();
            assertThat(patroni(lab, "pause").exitCode()).isZero();
            assertThat(view(lab).isPaused()).isTrue();
            assertThat(patroni(lab, "pause").out()).contains("already paused");
            assertThat(patroni(lab, "list").out()).contains("Maintenance mode: on");
        } finally {
            assertThat(patroni(lab, "resume").exitCode()).isZero();
        }
        assertThat(view(lab).isPaused()).isFalse();
        assertThat(patroni(lab, "resume").out()).contains("already running");
    }

    @Test
    void restart_and_reinit_a_replica_and_refuse_to_reinit_the_leader(RunningLab lab) {
        ClusterStatus before = Health.awaitHealthy(lab, Duration.ofSeconds(90));
        String replica = replicaOf(before);
        // right after a switchover Patroni may still be finishing the demotion: it says so and refuses
        CommandRun[] restart = new CommandRun[1];
        io.connectha.process.ProcessController.awaitReady("restart accepted", Duration.ofSeconds(30), Duration.ofSeconds(1), () -> {
            restart[0] = patroni(lab, "restart", replica, "--yes");
            if (restart[0].exitCode() != 0) {
                assertThat(restart[0].out() + restart[0].err()).contains("in progress");
            }
            return restart[0].exitCode() == 0;
        });
        assertThat(restart[0].out()).contains(replica, "restarted", "Restarted 1 member(s); each is back.");
        Health.awaitHealthy(lab, Duration.ofSeconds(90));

        CommandRun leader = patroni(lab, "reinit", before.leader(), "--yes");
        assertThat(leader.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(leader.err()).contains("is the leader");

        CommandRun reinit = patroni(lab, "reinit", replica, "--yes");
        assertThat(reinit.exitCode()).as(reinit.out() + reinit.err()).isZero();
        Health.awaitHealthy(lab, Duration.ofSeconds(120));
    }

    private static PgConnector.Endpoint endpoint(MemberSpec m) {
        return new PgConnector.Endpoint("PostgreSQL on " + m.name(), m.host(), m.port(), "postgres", "postgres");
    }
}
