package io.connectha.pgbouncer;

import io.connectha.error.ConnectError;
import io.connectha.pgbouncer.ConsoleCommand.Verb;
import io.connectha.pgbouncer.PgbouncerChange.Outcome;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What reaches PgBouncer's console, and how its answers are read; no PgBouncer needed. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class PgbouncerConsoleTest {

    @Test
    void only_fixed_words_and_a_checked_identifier_make_up_a_command() {
        assertThat(new ConsoleCommand(Verb.PAUSE, null).sql()).isEqualTo("PAUSE");
        assertThat(new ConsoleCommand(Verb.PAUSE, "app").sql()).isEqualTo("PAUSE app");
        assertThat(new ConsoleCommand(Verb.RESUME, "App_2").sql()).isEqualTo("RESUME App_2");
        assertThat(new ConsoleCommand(Verb.RELOAD, null).sql()).isEqualTo("RELOAD");
        assertThat(PgbouncerShow.CLIENTS.sql()).isEqualTo("SHOW CLIENTS");
    }

    @ParameterizedTest
    @ValueSource(strings = {"app; SHUTDOWN", "app;", "a b", "", "1app", "app\nSHUTDOWN", "\"app\"", "my-db", "app'--"})
    void a_database_that_is_not_a_plain_identifier_is_refused_before_it_reaches_the_console(String name) {
        assertThatThrownBy(() -> new ConsoleCommand(Verb.PAUSE, name))
                .isInstanceOf(ConnectError.class)
                .satisfies(e -> assertThat(((ConnectError) e).kind()).isEqualTo(ConnectError.Kind.INVALID_INPUT))
                .hasMessageContaining("not a plain identifier")
                .hasMessageNotContaining("\n");
    }

    @Test
    void a_database_name_may_be_as_long_as_postgresql_allows_and_no_longer() {
        assertThat(new ConsoleCommand(Verb.PAUSE, "d".repeat(63)).database()).hasSize(63);
        assertThatThrownBy(() -> new ConsoleCommand(Verb.PAUSE, "d".repeat(64))).isInstanceOf(ConnectError.class);
    }

    @Test
    void reload_takes_no_database() {
        assertThatThrownBy(() -> new ConsoleCommand(Verb.RELOAD, "app")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void pgbouncers_refusals_of_a_repeated_change_read_as_already_so() {
        // the exact messages PgBouncer 1.18 answers
        assertThat(PgbouncerConsole.interpretRefusal(new ConsoleCommand(Verb.PAUSE, null), "b:6432", "already suspended/paused"))
                .isEqualTo(Outcome.already_paused);
        assertThat(PgbouncerConsole.interpretRefusal(new ConsoleCommand(Verb.PAUSE, "app"), "b:6432", "already suspended/paused"))
                .isEqualTo(Outcome.already_paused);
        assertThat(PgbouncerConsole.interpretRefusal(new ConsoleCommand(Verb.RESUME, null), "b:6432", "pooler is not paused/suspended"))
                .isEqualTo(Outcome.already_running);
        assertThat(PgbouncerConsole.interpretRefusal(new ConsoleCommand(Verb.RESUME, "app"), "b:6432", "database app is not paused"))
                .isEqualTo(Outcome.already_running);
    }

    @Test
    void any_other_refusal_fails_and_quotes_pgbouncer() {
        assertThatThrownBy(() -> PgbouncerConsole.interpretRefusal(new ConsoleCommand(Verb.RESUME, "app"), "10.0.0.1:6432",
                "no such database: app"))
                .isInstanceOf(ConnectError.class)
                .hasMessage("PgBouncer at 10.0.0.1:6432 refused RESUME app: no such database: app");
        assertThatThrownBy(() -> PgbouncerConsole.interpretRefusal(new ConsoleCommand(Verb.RELOAD, null), "10.0.0.1:6432",
                "admin access needed"))
                .hasMessageContaining("refused RELOAD: admin access needed");
    }

    @Test
    void show_pools_rows_become_typed_pools_without_the_console_and_with_maxwait_to_the_microsecond() {
        Map<String, Object> app = new LinkedHashMap<>();
        app.put("database", "app");
        app.put("user", "app");
        app.put("cl_active", 3);
        app.put("cl_waiting", 2);
        app.put("sv_active", 1);
        app.put("sv_idle", 4);
        app.put("sv_used", 5);
        app.put("maxwait", 1);
        app.put("maxwait_us", 250_000);
        app.put("pool_mode", "transaction");
        Map<String, Object> console = new LinkedHashMap<>(app);
        console.put("database", "pgbouncer");
        List<PgbouncerPool> pools = PgbouncerAdmin.pools(List.of(console, app));
        assertThat(pools).containsExactly(new PgbouncerPool("app", "app", 3, 2, 1, 4, 5, Duration.ofMillis(1250), "transaction"));
    }

    private static Map<String, Object> row(Object... kv) {
        Map<String, Object> r = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            r.put((String) kv[i], kv[i + 1]);
        }
        return r;
    }

    @Test
    void each_pool_names_the_database_it_reaches_so_an_alias_shows_both_names() {
        List<PgbouncerPool> pools = PgbouncerAdmin.withDatabases(List.of(
                        new PgbouncerPool("orders_rw", "app", 2, 0, 1, 1, 0, Duration.ZERO, "transaction"),
                        new PgbouncerPool("app", "app", 1, 0, 1, 0, 0, Duration.ZERO, "transaction")),
                List.of(row("name", "app", "database", "app"), row("name", "orders_rw", "database", "orders"),
                        row("name", "pgbouncer", "database", "pgbouncer")));
        assertThat(pools).extracting(PgbouncerPool::database, PgbouncerPool::dbname, PgbouncerPool::isAlias)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("orders_rw", "orders", true),
                        org.assertj.core.groups.Tuple.tuple("app", "app", false));
    }

    @Test
    void client_figures_leave_out_connects_own_probe_and_count_active_and_waiting_as_show_pools_does() {
        // SHOW POOLS said 11 active: 10 application clients and status's own probe
        List<PgbouncerPool> pools = List.of(new PgbouncerPool("app", "app", 11, 1, 3, 2, 0, Duration.ZERO, "transaction", "app"),
                new PgbouncerPool("orders_rw", "app", 0, 0, 0, 1, 0, Duration.ZERO, "transaction", "orders"));
        List<Map<String, Object>> clients = new java.util.ArrayList<>();
        for (int i = 0; i < 10; i++) {
            clients.add(row("type", "C", "user", "app", "database", "app", "state", "active", "application_name", i < 5 ? "billing" : ""));
        }
        clients.add(row("type", "C", "user", "app", "database", "app", "state", "waiting", "application_name", "billing"));
        clients.add(row("type", "C", "user", "app", "database", "app", "state", "active", "application_name", "connect-status-probe"));
        clients.add(row("type", "C", "user", "pgbouncer_admin", "database", "pgbouncer", "state", "active", "application_name", "connect"));
        List<PgbouncerPool> counted = PgbouncerAdmin.withoutOwnClients(pools, clients, "connect-status-probe");
        assertThat(counted).extracting(PgbouncerPool::database, PgbouncerPool::clActive, PgbouncerPool::clWaiting, PgbouncerPool::svActive)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("app", 10, 1, 3),
                        org.assertj.core.groups.Tuple.tuple("orders_rw", 0, 0, 0));
    }

    @Test
    void columns_an_older_pgbouncer_lacks_read_as_zero_and_numeric_values_of_any_type_are_read() {
        // PgBouncer before 1.8 had no maxwait_us; STATS-like numerics come back as BigDecimal
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("database", "app");
        row.put("user", "app");
        row.put("cl_active", new BigDecimal("7"));
        row.put("maxwait", "2");
        assertThat(PgbouncerAdmin.pools(List.of(row))).singleElement().satisfies(p -> {
            assertThat(p.clActive()).isEqualTo(7);
            assertThat(p.clWaiting()).isZero();
            assertThat(p.maxWait()).isEqualTo(Duration.ofSeconds(2));
            assertThat(p.poolMode()).isEmpty();
        });
    }
}
