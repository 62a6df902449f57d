package io.connectha.status;

import io.connectha.error.ConnectError;
import io.connectha.haproxy.HaproxyServer;
import io.connectha.pgbouncer.PgbouncerRoute;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What --pause-pooler pauses and refuses, and when it counts HAProxy's write backend as moved: judged on hand-made rows. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class PooledSwitchoverPlanTest {

    private static final String HAPROXY_WRITE = "10.0.0.5:5000";

    private static PgbouncerRoute route(String name, String dbname, String host, int port, boolean paused) {
        return new PgbouncerRoute(name, dbname, host, port, paused);
    }

    @Test
    void every_pool_that_reaches_the_application_database_is_paused_aliases_included_and_others_are_not() {
        List<PgbouncerRoute> targets = PooledSwitchover.routesToPause(List.of(
                route("orders", "orders", "10.0.0.5", 5000, false),
                route("orders_rw", "orders", "10.0.0.5", 5000, false),
                route("billing", "billing", "10.0.0.5", 5000, false)), "orders", "10.0.0.5:6432", "pg1", "10.0.0.11:5432");
        assertThat(targets).extracting(PgbouncerRoute::name).containsExactly("orders", "orders_rw");
    }

    @Test
    void no_pool_for_the_application_database_is_refused_naming_what_pgbouncer_has() {
        assertThatThrownBy(() -> PooledSwitchover.routesToPause(List.of(route("billing", "billing", "10.0.0.5", 5000, false)),
                "orders", "10.0.0.5:6432", "pg1", "10.0.0.11:5432"))
                .isInstanceOf(ConnectError.class)
                .hasMessage("--pause-pooler: PgBouncer at 10.0.0.5:6432 has no database that reaches orders (SHOW DATABASES has: "
                        + "billing -> billing)");
    }

    @Test
    void a_pool_someone_else_paused_is_refused_since_resume_would_undo_their_pause() {
        assertThatThrownBy(() -> PooledSwitchover.routesToPause(List.of(route("orders", "orders", "10.0.0.5", 5000, true)),
                "orders", "10.0.0.5:6432", "pg1", "10.0.0.11:5432"))
                .hasMessageContaining("orders is already paused by someone else")
                .hasMessageContaining("connect ha pgbouncer resume orders");
    }

    @Test
    void a_pool_straight_to_the_old_leader_is_refused_before_anything_is_paused() {
        assertThatThrownBy(() -> PooledSwitchover.routesToPause(List.of(route("orders", "orders", "10.0.0.11", 5432, false)),
                "orders", "10.0.0.5:6432", "pg1", "10.0.0.11:5432"))
                .hasMessage("--pause-pooler: PgBouncer's database orders goes straight to pg1 (10.0.0.11:5432), the leader being "
                        + "switched away from: after the switchover it would reach a replica; point it at HAProxy's write port");
    }

    @Test
    void a_pool_over_a_unix_socket_is_refused() {
        assertThatThrownBy(() -> PooledSwitchover.routesToPause(List.of(route("orders", "orders", "", 5432, false)),
                "orders", "10.0.0.5:6432", "pg1", "10.0.0.11:5432"))
                .hasMessageContaining("over a Unix socket");
    }

    @Test
    void addresses_compare_by_port_and_resolved_host() {
        assertThat(PooledSwitchover.sameAddress("127.0.0.1:5432", "localhost:5432")).isTrue();
        assertThat(PooledSwitchover.sameAddress("127.0.0.1:5432", "127.0.0.1:5433")).isFalse();
        assertThat(PooledSwitchover.sameAddress("[::1]:5432", "::1:5432")).isTrue();
    }

    private static HaproxyServer server(String member, String status) {
        return new HaproxyServer("write", member, status, "L7OK", 0, Duration.ZERO, null, member);
    }

    @Test
    void the_write_backend_has_moved_only_when_the_new_leader_is_up_and_no_other_server_is() {
        assertThat(PooledSwitchover.writeBackendVerdict(List.of(server("pg1", "DOWN"), server("pg2", "UP"), server("pg3", "DOWN")), "pg2"))
                .isEmpty();
        assertThat(PooledSwitchover.writeBackendVerdict(List.of(server("pg1", "UP 2/3"), server("pg2", "UP"), server("pg3", "DOWN")), "pg2"))
                .isEqualTo("HAProxy's write backend has pg1 UP 2/3, pg2 UP, pg3 DOWN");
        assertThat(PooledSwitchover.writeBackendVerdict(List.of(server("pg1", "DOWN 1/2"), server("pg2", "DOWN 1/2")), "pg2"))
                .isEqualTo("HAProxy's write backend has pg1 DOWN 1/2, pg2 DOWN 1/2");
    }

    @Test
    void a_failed_resume_says_what_is_still_paused_and_the_exact_command_to_run() {
        assertThat(PoolerHold.stillPaused("10.0.0.5:6432", List.of("orders", "orders_rw"), "could not reach PgBouncer admin console"))
                .isEqualTo("PGBOUNCER IS STILL PAUSED at 10.0.0.5:6432 for orders, orders_rw: its clients are waiting. RESUME failed: "
                        + "could not reach PgBouncer admin console. Run now: connect ha pgbouncer resume orders && "
                        + "connect ha pgbouncer resume orders_rw");
    }
}
