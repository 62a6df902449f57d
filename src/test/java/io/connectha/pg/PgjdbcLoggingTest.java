package io.connectha.pg;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.util.logging.Level;
import java.util.logging.Logger;

import static org.assertj.core.api.Assertions.assertThat;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class PgjdbcLoggingTest {

    @AfterEach
    void quiet_again() {
        PgjdbcLogging.verbose(false);
    }

    @Test
    void pgjdbc_is_silent_once_in_use_unless_verbose() {
        PgjdbcLogging.verbose(false);
        PgjdbcLogging.install();
        assertThat(Logger.getLogger("org.postgresql").getLevel()).isEqualTo(Level.OFF);
        assertThat(Logger.getLogger("org.postgresql.core.v3.ConnectionFactoryImpl").isLoggable(Level.WARNING)).isFalse();
    }

    @Test
    void verbose_applies_whether_set_before_or_after_pgjdbcs_first_use() {
        PgjdbcLogging.verbose(true);
        PgjdbcLogging.install();
        assertThat(Logger.getLogger("org.postgresql").getLevel()).isEqualTo(Level.FINE);
        PgjdbcLogging.verbose(false);
        assertThat(Logger.getLogger("org.postgresql").getLevel()).isEqualTo(Level.OFF);
        PgjdbcLogging.verbose(true);
        assertThat(Logger.getLogger("org.postgresql").getLevel()).isEqualTo(Level.FINE);
    }

    @Test
    void opening_a_connection_installs_the_level() throws ClassNotFoundException {
        Class.forName(PgConnector.class.getName(), true, getClass().getClassLoader());
        assertThat(Logger.getLogger("org.postgresql").getLevel()).isEqualTo(Level.OFF);
    }
}
