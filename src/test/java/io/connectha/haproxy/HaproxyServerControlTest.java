package io.connectha.haproxy;

import io.connectha.cluster.HaproxySpec;
import io.connectha.cluster.MemberSpec;
import io.connectha.error.ConnectError;
import io.connectha.haproxy.HaproxyServerChange.Outcome;
import io.connectha.haproxy.HaproxyServerControl.Action;
import io.connectha.haproxy.HaproxyServerControl.Backends;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** enable and disable against a fake admin socket that moves server states as HAProxy 2.6 does. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class HaproxyServerControlTest {

    @TempDir
    Path dir;
    private FakeAdminSocket haproxy;
    private HaproxyServerControl control;

    @BeforeEach
    void start() throws IOException {
        haproxy = new FakeAdminSocket(dir)
                .server("write", "pg1", "UP", true).server("write", "pg2", "DOWN", false)
                .server("read", "pg1", "DOWN", false).server("read", "pg2", "UP", true);
        control = new HaproxyServerControl(spec(haproxy.path()), Duration.ofSeconds(2));
    }

    @AfterEach
    void stop() throws IOException {
        haproxy.close();
    }

    @Test
    void disable_sends_disable_server_per_backend_and_reads_maint_back() {
        HaproxyServerChange change = control.disable(control.plan(Action.disable, "pg1", Backends.all), false);
        assertThat(haproxy.changes()).containsExactly("disable server write/pg1", "disable server read/pg1");
        assertThat(change.backends()).extracting(HaproxyServerChange.BackendChange::after).containsExactly("MAINT", "MAINT");
        assertThat(change.backends()).extracting(HaproxyServerChange.BackendChange::outcome).containsOnly(Outcome.disabled);
        assertThat(change.backends().get(0).before()).isEqualTo("UP");
    }

    @Test
    void disabling_twice_sends_nothing_the_second_time() {
        control.disable(control.plan(Action.disable, "pg2", Backends.read), false);
        HaproxyServerChange again = control.disable(control.plan(Action.disable, "pg2", Backends.read), false);
        assertThat(haproxy.changes()).containsExactly("disable server read/pg2");
        assertThat(again.backends()).singleElement().satisfies(b -> {
            assertThat(b.outcome()).isEqualTo(Outcome.already_disabled);
            assertThat(b.commands()).isEmpty();
        });
    }

    @Test
    void a_dry_run_reads_but_sends_no_change_and_lists_what_it_would_send() {
        HaproxyServerChange change = control.disable(control.plan(Action.disable, "pg1", Backends.write), true);
        assertThat(haproxy.changes()).isEmpty();
        assertThat(haproxy.status("write", "pg1")).isEqualTo("UP");
        assertThat(change.dryRun()).isTrue();
        assertThat(change.backends()).singleElement().satisfies(b -> {
            assertThat(b.outcome()).isEqualTo(Outcome.dry_run);
            assertThat(b.commands()).containsExactly("disable server write/pg1");
        });
    }

    @Test
    void the_plan_says_when_a_disable_cuts_the_write_port() {
        assertThat(control.plan(Action.disable, "pg1", Backends.all).touchesWrites()).isTrue();
        assertThat(control.plan(Action.disable, "pg1", Backends.all).carriesWrites()).isTrue();
        assertThat(control.plan(Action.disable, "pg2", Backends.write).carriesWrites()).isFalse();
        assertThat(control.plan(Action.disable, "pg1", Backends.read).touchesWrites()).isFalse();
        assertThat(control.plan(Action.enable, "pg1", Backends.write).touchesWrites()).isFalse();
    }

    @Test
    void enable_drains_first_and_makes_the_server_ready_only_once_its_health_check_has_decided() {
        control.disable(control.plan(Action.disable, "pg1", Backends.write), false);
        control.disable(control.plan(Action.disable, "pg2", Backends.write), false);
        haproxy.settleAfterShows(3);

        HaproxyServerChange primary = control.enable(control.plan(Action.enable, "pg1", Backends.write), false, Duration.ofSeconds(5));
        HaproxyServerChange replica = control.enable(control.plan(Action.enable, "pg2", Backends.write), false, Duration.ofSeconds(5));

        assertThat(primary.backends().get(0).after()).isEqualTo("UP");
        // the replica never reads UP in the write backend, not even for a moment
        assertThat(replica.backends().get(0).after()).isEqualTo("DOWN");
        assertThat(haproxy.changes()).doesNotContain("enable server write/pg1", "enable server write/pg2");
        List<FakeAdminSocket.Received> readies = haproxy.received().stream().filter(r -> r.command().endsWith("state ready")).toList();
        assertThat(readies).extracting(FakeAdminSocket.Received::statusThen).containsExactly("DRAIN", "DOWN");
        assertThat(primary.backends().get(0).commands()).containsExactly("set server write/pg1 state drain", "set server write/pg1 state ready");
    }

    @Test
    void a_health_check_that_does_not_decide_in_time_leaves_the_server_drained_and_fails() {
        control.disable(control.plan(Action.disable, "pg2", Backends.write), false);
        haproxy.settleAfterShows(-1);
        assertThatThrownBy(() -> control.enable(control.plan(Action.enable, "pg2", Backends.write), false, Duration.ofMillis(300)))
                .isInstanceOf(ConnectError.class)
                .hasMessageContaining("write/pg2 (DRAIN 1/2) left in DRAIN, taking no new connections")
                .hasMessageContaining("within 300 ms");
        assertThat(haproxy.changes()).noneMatch(c -> c.endsWith("state ready"));
        assertThat(haproxy.status("write", "pg2")).isEqualTo("DRAIN 1/2");
    }

    @Test
    void enabling_a_server_in_service_sends_nothing() {
        HaproxyServerChange change = control.enable(control.plan(Action.enable, "pg2", Backends.all), false, Duration.ofSeconds(1));
        assertThat(haproxy.changes()).isEmpty();
        assertThat(change.backends()).extracting(HaproxyServerChange.BackendChange::outcome).containsOnly(Outcome.already_enabled);
    }

    @Test
    void an_unknown_server_or_a_name_that_could_smuggle_a_command_is_refused_before_anything_is_sent() {
        assertThatThrownBy(() -> control.plan(Action.disable, "pg9", Backends.write))
                .hasMessage("HAProxy has no server 'pg9' in backend write (it has: pg1, pg2)");
        for (String bad : List.of("pg1;shutdown sessions server write/pg1", "pg1 ", "write/pg1", "pg\n1", "")) {
            assertThatThrownBy(() -> control.plan(Action.disable, bad, Backends.write))
                    .isInstanceOf(ConnectError.class)
                    .satisfies(e -> assertThat(((ConnectError) e).kind()).isEqualTo(ConnectError.Kind.INVALID_INPUT));
        }
        assertThat(haproxy.changes()).isEmpty();
    }

    @Test
    void a_missing_admin_socket_is_a_failure_that_says_the_stats_page_cannot_change_state() {
        HaproxyServerControl noSocket = new HaproxyServerControl(spec(dir.resolve("gone.sock")), Duration.ofSeconds(1));
        assertThatThrownBy(() -> noSocket.plan(Action.disable, "pg1", Backends.write))
                .isInstanceOf(ConnectError.class)
                .satisfies(e -> assertThat(((ConnectError) e).kind()).isEqualTo(ConnectError.Kind.FAILURE))
                .hasMessageContaining("gone.sock does not exist")
                .hasMessageContaining("the stats page cannot change state");
    }

    @Test
    void haproxys_refusal_is_quoted() {
        HaproxyServerControl.Plan plan = control.plan(Action.disable, "pg1", Backends.write);
        // between plan and change, HAProxy was reloaded with a configuration without pg1
        haproxy.remove("write", "pg1");
        assertThatThrownBy(() -> control.disable(plan, false)).hasMessage("HAProxy refused 'disable server write/pg1': No such server.");
    }

    @Test
    void a_hand_written_config_with_its_own_names_is_driven_by_the_member_at_each_servers_address() throws IOException {
        try (FakeAdminSocket hand = new FakeAdminSocket(java.nio.file.Files.createDirectories(dir.resolve("hand")))) {
            hand.server("pg_primary", "pg_node1", "127.0.0.1:5432", "UP", true).server("pg_primary", "pg_node2", "127.0.0.1:5433", "DOWN", false)
                    .server("pg_replicas", "node1_ro", "127.0.0.1:5432", "DOWN", false).server("pg_replicas", "node2_ro", "127.0.0.1:5433", "UP", true);
            // two members on one host: only the port tells them apart
            List<MemberSpec> members = List.of(new MemberSpec("db-a", "127.0.0.1", 5432, 8008, "/d/a", null),
                    new MemberSpec("db-b", "127.0.0.1", 5433, 8009, "/d/b", null));
            HaproxySpec names = new HaproxySpec("127.0.0.10", 5000, 5001, "127.0.0.1", 7000, hand.path().toString(), "stats", "1s", 2, 2,
                    null, 1000, "pg_primary", "pg_replicas");
            HaproxyServerControl c = new HaproxyServerControl(names, members, Duration.ofSeconds(2));

            HaproxyServerControl.Plan plan = c.plan(Action.disable, "db-b", Backends.all);
            assertThat(plan.touchesWrites()).isTrue();
            assertThat(plan.carriesWrites()).isFalse();
            HaproxyServerChange change = c.disable(plan, false);
            assertThat(hand.changes()).containsExactly("disable server pg_primary/pg_node2", "disable server pg_replicas/node2_ro");
            assertThat(change.backends()).extracting(HaproxyServerChange.BackendChange::backend, HaproxyServerChange.BackendChange::server,
                    HaproxyServerChange.BackendChange::after).containsExactly(org.assertj.core.groups.Tuple.tuple("pg_primary", "pg_node2", "MAINT"),
                    org.assertj.core.groups.Tuple.tuple("pg_replicas", "node2_ro", "MAINT"));

            hand.settleAfterShows(1);
            HaproxyServerChange back = c.enable(c.plan(Action.enable, "127.0.0.1:5433", Backends.read), false, Duration.ofSeconds(5));
            assertThat(back.backends()).singleElement().satisfies(b -> {
                assertThat(b.server()).isEqualTo("node2_ro");
                assertThat(b.after()).isEqualTo("UP");
                assertThat(b.commands()).containsExactly("set server pg_replicas/node2_ro state drain", "set server pg_replicas/node2_ro state ready");
            });
            // HAProxy's own name works too
            assertThat(c.plan(Action.disable, "pg_node1", Backends.write).carriesWrites()).isTrue();
            assertThatThrownBy(() -> c.plan(Action.disable, "db-c", Backends.write))
                    .hasMessage("HAProxy has no server 'db-c' in backend pg_primary (it has: pg_node1 at 127.0.0.1:5432 (member db-a),"
                            + " pg_node2 at 127.0.0.1:5433 (member db-b))");
        }
    }

    @Test
    void a_backend_name_haproxy_does_not_have_is_refused_naming_the_ones_it_has() {
        HaproxyServerControl c = new HaproxyServerControl(new HaproxySpec("127.0.0.10", 5000, 5001, "127.0.0.1", 7000, haproxy.path().toString(),
                "stats", "1s", 2, 2, null, 1000, "write", "replicas"), Duration.ofSeconds(2));
        assertThatThrownBy(() -> c.plan(Action.disable, "pg2", Backends.all))
                .isInstanceOf(ConnectError.class)
                .hasMessage("HAProxy has no backend 'replicas' (haproxy.read_backend in the cluster file); it has: write, read");
        assertThat(haproxy.changes()).isEmpty();
    }

    private static HaproxySpec spec(Path socket) {
        return new HaproxySpec("127.0.0.10", 5000, 5001, "127.0.0.1", 7000, socket.toString(), "stats", "1s", 2, 2, null, 1000, "write", "read");
    }
}
