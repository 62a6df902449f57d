package io.connectha.integration;

import io.connectha.cluster.MemberSpec;
import io.connectha.cluster.SecretName;
import io.connectha.pg.PgConnector;
import io.connectha.pg.ScramKeyCacheProbe;
import io.connectha.pg.Sql;
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
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Real SCRAM logins to the lab's PostgreSQL: each member holds the same verifier (pg_authid is
 * replicated), so logging into all three derives the superuser's key once, and a wrong password
 * still fails.
 */
@Tag("integration")
@ExtendWith(LabExtension.class)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ScramKeyCacheLabTest {

    private static PgConnector.Endpoint endpoint(RunningLab lab, MemberSpec m) {
        return new PgConnector.Endpoint("PostgreSQL on " + m.name(), m.host(), m.port(), "postgres",
                lab.cluster().spec().postgresql().superuser());
    }

    @Test
    void logging_into_every_member_derives_the_key_once(RunningLab lab) {
        PgConnector pg = new PgConnector(Duration.ofSeconds(2), Duration.ofSeconds(5));
        String password = lab.secrets().password(SecretName.superuser);
        ScramKeyCacheProbe.clear();
        int before = ScramKeyCacheProbe.derivations();
        for (MemberSpec m : lab.cluster().spec().members()) {
            Connection c = pg.connect(endpoint(lab, m), password);
            try {
                String user = Sql.one(c, "SELECT current_user", rs -> rs.getString(1));
                assertThat(user).isEqualTo(lab.cluster().spec().postgresql().superuser());
            } finally {
                Sql.close(c);
            }
        }
        assertThat(ScramKeyCacheProbe.derivations() - before).isEqualTo(1);
    }

    @Test
    void a_wrong_password_still_fails_after_the_right_one_was_kept(RunningLab lab) {
        PgConnector pg = new PgConnector(Duration.ofSeconds(2), Duration.ofSeconds(5));
        MemberSpec m = lab.cluster().spec().members().get(0);
        Sql.close(pg.connect(endpoint(lab, m), lab.secrets().password(SecretName.superuser)));
        assertThatThrownBy(() -> pg.connect(endpoint(lab, m), "not-the-password"))
                .isInstanceOf(io.connectha.error.ConnectError.class)
                .hasMessageStartingWith("authentication failed for PostgreSQL on " + m.name());
    }
}
