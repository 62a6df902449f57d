package io.connectha.monitor;

import io.connectha.error.ConnectError;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;

import static org.assertj.core.api.Assertions.assertThat;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ProbeSchemaTest {

    @Test
    void the_application_user_gets_usage_and_select_update_only_quoted_as_an_identifier() {
        assertThat(ProbeSchema.setupStatements("app\"user")).containsExactly(
                "CREATE SCHEMA IF NOT EXISTS connect_probe",
                "REVOKE ALL ON SCHEMA connect_probe FROM PUBLIC",
                "CREATE TABLE IF NOT EXISTS connect_probe.heartbeat (probe_id text PRIMARY KEY, seq bigint NOT NULL, at timestamptz NOT NULL)",
                "REVOKE ALL ON connect_probe.heartbeat FROM PUBLIC, \"app\"\"user\"",
                "GRANT USAGE ON SCHEMA connect_probe TO \"app\"\"user\"",
                "GRANT SELECT, UPDATE ON connect_probe.heartbeat TO \"app\"\"user\"");
    }

    @Test
    void a_cluster_that_is_down_or_read_only_is_retried_and_a_refusal_is_not() {
        assertThat(ClientProbe.fatal(new ConnectError(ConnectError.Kind.UNREACHABLE, "could not reach HAProxy write port"))).isFalse();
        assertThat(ClientProbe.fatal(new ConnectError(ConnectError.Kind.FAILURE, "read-only",
                new SQLException("cannot execute CREATE SCHEMA in a read-only transaction", "25006")))).isFalse();
        assertThat(ClientProbe.fatal(new ConnectError(ConnectError.Kind.FAILURE, "shutting down",
                new SQLException("the database system is shutting down", "57P03")))).isFalse();
        assertThat(ClientProbe.fatal(new ConnectError(ConnectError.Kind.FAILURE, "denied",
                new SQLException("permission denied for database orders", "42501")))).isTrue();
        assertThat(ClientProbe.fatal(new ConnectError(ConnectError.Kind.AUTHENTICATION_FAILED, "password authentication failed"))).isTrue();
        assertThat(ClientProbe.fatal(ConnectError.invalidInput("secret superuser not found"))).isTrue();
    }
}
