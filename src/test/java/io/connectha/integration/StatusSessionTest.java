package io.connectha.integration;

import io.connectha.cluster.SecretName;
import io.connectha.process.ProcessController;
import io.connectha.pg.PgConnector;
import io.connectha.pg.Sql;
import io.connectha.status.ClusterStatus;
import io.connectha.status.StatusService;
import io.connectha.support.Health;
import io.connectha.support.LabExtension;
import io.connectha.support.LabExtension.RunningLab;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.sql.Connection;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A status session, as the dashboard uses it: repeated checks keep their connections (no new
 * logins each refresh), see the truth after a fault, and recover when the member is back.
 */
@Tag("integration")
@ExtendWith(LabExtension.class)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class StatusSessionTest {

    /** Backends of connect's other connections on the member (application_name connect), by pid, not this query's own. */
    private static java.util.Set<Integer> connectBackends(RunningLab lab, String member) {
        var m = lab.cluster().spec().member(member).orElseThrow();
        Connection c = new PgConnector(Duration.ofSeconds(2), Duration.ofSeconds(5)).connect(new PgConnector.Endpoint("PostgreSQL on " + member,
                m.host(), m.port(), "postgres", "postgres"), lab.secrets().password(SecretName.superuser));
        try {
            return new java.util.HashSet<>(Sql.list(c, "SELECT pid FROM pg_stat_activity WHERE application_name = 'connect' "
                    + "AND pid <> pg_backend_pid() AND backend_type = 'client backend'", rs -> rs.getInt(1)));
        } finally {
            Sql.close(c);
        }
    }

    @Test
    void repeated_checks_reuse_their_connections_and_follow_a_fault(RunningLab lab) {
        ClusterStatus healthy = Health.awaitHealthy(lab, Duration.ofSeconds(90));
        String replica = healthy.members().stream().filter(m -> !m.isLeader()).findFirst().orElseThrow().name();
        StatusService service = new StatusService(lab.cluster(), lab.secrets(), new StatusService.Options(Duration.ofSeconds(1),
                Duration.ofSeconds(2), 16L << 20));
        try (StatusService.Session session = service.openSession()) {
            assertThat(session.check().healthy()).isTrue();
            java.util.Set<Integer> kept = connectBackends(lab, replica);
            assertThat(kept).as("the session's connection to " + replica + " stays open between checks").hasSize(1);
            for (int i = 0; i < 5; i++) {
                session.check();
            }
            // the same backend answered all five: no new login per refresh
            assertThat(connectBackends(lab, replica)).containsAll(kept);

            Health.setPause(lab, true);
            try {
                lab.lab().stopProcess("postgres-" + replica, true);
                ClusterStatus down = session.check();
                assertThat(down.problems()).anyMatch(p -> p.code().equals("postgres_unreachable") && replica.equals(p.member()));
                lab.lab().stopProcess("postgres-" + replica, true);
            } finally {
                Health.setPause(lab, false);
            }
            ProcessController.awaitReady("the session sees the replica again", Duration.ofSeconds(90), Duration.ofMillis(500),
                    () -> session.check().healthy());
        }
    }
}
